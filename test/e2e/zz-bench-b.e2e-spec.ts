import { inspectWorkbook, readSheetRows } from '@gongxiao/core';
import { bigWorkbook } from '../support/hostile-sheets';
it('times', async () => {
  const file = await bigWorkbook(100_000);
  let t = Date.now(); inspectWorkbook(file); const a = Date.now() - t;
  t = Date.now(); const read = await readSheetRows(file, { columns: [{ key: 'o', headers: ['发货单号'], required: true }, { key: 't', headers: ['快递单号'], required: true }, { key: 'c', headers: ['快递公司'], required: true }, { key: 'q', headers: ['数量'], required: true }], maxRows: 200000 }); const b = Date.now() - t;
  console.log(`size ${file.length} inspect ${a} ms read ${b} ms rows ${read.rows.length} rss ${process.memoryUsage().rss/1e6}`);
}, 120000);
