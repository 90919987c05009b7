import { inspectWorkbook } from '@gongxiao/core';

/**
 * The uploaded file's outer shape, checked while the uploader waits: an .xlsx workbook (not an old
 * .xls, not password-protected, not a zip bomb); each is a 422 naming the problem. The rows are read
 * in the worker, which inspects the file again before it parses it.
 */
export async function checkUploadedWorkbook(file: Buffer): Promise<void> {
  await inspectWorkbook(file);
}
