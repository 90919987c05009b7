#!/usr/bin/env bash
# The README's first command: installs, makes sure PostgreSQL and Redis are there, builds, and runs
# the demo of a whole distribution network (fresh database "gongxiao_demo" each run).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Stopping what a demo left serving needs no install, services or build.
if [ "${1:-}" = "--stop" ]; then
  if [ -f dist/apps/demo/src/main.js ]; then TS_NODE_BASEURL=./dist exec node -r tsconfig-paths/register dist/apps/demo/src/main.js --stop; fi
  echo "Nothing of the demo was running."; exit 0
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "[demo] installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
source docker/scripts/ensure-services.sh
echo "[demo] building (tsc, and the web console with vite)"
node node_modules/typescript/bin/tsc -p tsconfig.json
NODE_ENV=production node node_modules/vite/bin/vite.js build --config apps/console/vite.config.ts --logLevel warn
# The demo creates its own database on the server of DATABASE_URL. With --console it serves the
# last demo's data in the web console; with --stop it stops the api and worker it left serving.
TS_NODE_BASEURL=./dist exec node -r tsconfig-paths/register dist/apps/demo/src/main.js "$@"
