#!/usr/bin/env bash
# `npm run test:chaos`: fault injection against private PostgreSQL and Redis instances (never the
# machine's own), with the api and two workers as real processes. CHAOS_SECONDS, CHAOS_RATE tune it.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
node node_modules/typescript/bin/tsc -p tsconfig.json
TS_NODE_BASEURL=./dist node -r tsconfig-paths/register dist/test/chaos/chaos.js
