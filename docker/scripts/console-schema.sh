#!/usr/bin/env bash
# `npm run console:schema`: regenerates the console's typed api client (apps/console/src/api/schema.d.ts)
# from the api's OpenAPI document. Run it after changing a controller or DTO; a test fails until you do.
set -euo pipefail
cd "$(dirname "$0")/../.."
source docker/scripts/ensure-services.sh
node node_modules/typescript/bin/tsc -p tsconfig.json
mkdir -p out
LOG_LEVEL=error TS_NODE_BASEURL=./dist node -r tsconfig-paths/register dist/apps/api/src/print-openapi.js out/openapi.json
node_modules/.bin/openapi-typescript out/openapi.json -o apps/console/src/api/schema.d.ts
