import { UnprocessableError } from '@gongxiao/core';

/**
 * The uploaded file's outer shape, checked while the uploader waits: a workbook at all. (The rows
 * are read in the worker.)
 */
export async function checkUploadedWorkbook(file: Buffer): Promise<void> {
  if (file.length >= 4 && file.readUInt32LE(0) === 0x04034b50) return;
  throw new UnprocessableError('sheet_not_xlsx', 'The file is not an .xlsx workbook. Save it from Excel (or WPS) as .xlsx and upload it again.');
}
