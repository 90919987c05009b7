// content-disposition 3 is ESM-only; Node 20 loads it through require(esm), jest cannot.
// @fastify/static only needs `create` for file downloads, which the API never serves.
'use strict';
function create(filename) {
  return filename === undefined ? 'attachment' : `attachment; filename="${String(filename).replace(/["\\]/g, '_')}"`;
}
module.exports = { create };
