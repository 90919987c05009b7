/* Prints every place a library's SQL names another library's table: `npm run walls`. */
import { foreignReferences, ownershipOf } from './table-ownership';

const root = process.argv[2] ?? process.cwd();
const only = process.argv[3];
const references = foreignReferences(root, ownershipOf(root)).filter((reference) => !only || reference.library === only);
for (const reference of references) console.log(`${reference.access}\t${reference.file}:${reference.line}\t${reference.table} (owned by ${reference.owner})`);
console.log(`${references.length} foreign references (${references.filter((reference) => reference.access === 'write').length} writes)`);
