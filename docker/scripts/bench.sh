#!/usr/bin/env bash
# `npm run bench`: benchmarks beside baselines measured in the same run (never part of npm test).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
source docker/scripts/ensure-services.sh
node node_modules/typescript/bin/tsc -p tsconfig.json
for bench in dist/test/bench/*.bench.js; do
  TS_NODE_BASEURL=./dist node -r tsconfig-paths/register "$bench"
done
