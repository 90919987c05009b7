import ExcelJS from 'exceljs';
import type { HttpResult, TestApi } from './test-environment';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type UploadAnswer = HttpResult;

/** A multipart form as a browser sends it (undici's FormData serialized), for `app.inject`. */
export async function multipartBody(file: Buffer, fileName: string, fields: Record<string, string>): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file)], { type: XLSX }), fileName);
  const request = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** POST /v1/imports?kind= with the file in a multipart form. */
export async function uploadSheet(
  api: TestApi,
  token: string,
  kind: string,
  file: Buffer,
  fields: Record<string, string> = {},
  options: { fileName?: string; idempotencyKey?: string } = {},
): Promise<UploadAnswer> {
  const { payload, contentType } = await multipartBody(file, options.fileName ?? 'upload.xlsx', fields);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': contentType };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await api.app.inject({ method: 'POST', url: `/v1/imports?kind=${encodeURIComponent(kind)}`, headers, payload });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

/** Polls GET /v1/imports/:id until the worker has finished with it (done or failed). */
export async function importFinished(api: TestApi, token: string, importId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await api.get(`/v1/imports/${importId}`, token);
    if (answer.status !== 200) throw new Error(`GET /v1/imports/${importId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (answer.body.status === 'done' || answer.body.status === 'failed') return answer.body;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${answer.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Uploads and waits for the worker: the finished import. */
export async function importSheet(api: TestApi, token: string, kind: string, file: Buffer, fields: Record<string, string> = {}): Promise<any> {
  const answer = await uploadSheet(api, token, kind, file, fields);
  if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return importFinished(api, token, answer.body.id);
}

/** A GET answering an .xlsx, read back with exceljs. */
export async function downloadWorkbook(api: TestApi, token: string, url: string): Promise<{ status: number; workbook: ExcelJS.Workbook | null; headers: Record<string, unknown> }> {
  const response = await api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (response.statusCode !== 200) return { status: response.statusCode, workbook: null, headers: response.headers };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return { status: 200, workbook, headers: response.headers };
}

/** A sheet's rows as arrays of cell text (row 1 first), as a person reads them. */
export function sheetTexts(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = cell.text));
    rows.push(Array.from(cells, (text) => text ?? ''));
  });
  return rows;
}

/** A workbook of one sheet with these rows (the first is the header), as a user would save it. */
export async function workbookOf(rows: (string | number | null)[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
