#!/usr/bin/env bash
# `npm run bench`: every scenario beside a baseline measured in the same run (never part of npm test).
# BENCH_QUICK=1 runs small sizes (a smoke run); see the README for the knobs.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
source docker/scripts/ensure-services.sh
source docker/scripts/ensure-chromium.sh
node node_modules/typescript/bin/tsc -p tsconfig.json
NODE_ENV=production node node_modules/vite/bin/vite.js build --config apps/console/vite.config.ts --logLevel warn
mkdir -p out/bench
rm -f out/bench/*.json out/bench/*.md
for bench in dist/test/bench/*.bench.js; do
  echo "== $(basename "$bench" .bench.js)"
  TS_NODE_BASEURL=./dist node -r tsconfig-paths/register "$bench"
done
# One results.json and one table of every scenario.
node -e '
const fs = require("fs"), path = require("path");
const dir = "out/bench", results = {}, tables = [];
for (const file of fs.readdirSync(dir).sort()) {
  if (file.endsWith(".json") && file !== "results.json") results[path.basename(file, ".json")] = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  if (file.endsWith(".md") && file !== "results.md") tables.push(fs.readFileSync(path.join(dir, file), "utf8").trim());
}
const header = tables.length ? tables[0].split("\n").slice(0, 2) : [];
const rows = tables.flatMap((table) => table.split("\n").slice(2));
const markdown = ["# Gongxiao benchmarks (" + new Date().toISOString() + ", " + require("os").cpus().length + " cores)", "", ...header, ...rows, ""].join("\n");
fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(dir, "results.md"), markdown);
console.log("\n" + markdown);
console.log("written: out/bench/results.json, out/bench/results.md");
'
