#!/usr/bin/env bash
# `npm test`: makes sure PostgreSQL and Redis are there, then runs jest. Each test file gets its
# own database (cloned from a migrated template) and its own BullMQ prefix.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund
source docker/scripts/ensure-services.sh
# The console's browser tests: without Chromium they fail, saying what to install.
source docker/scripts/ensure-chromium.sh
exec npx jest "$@"
