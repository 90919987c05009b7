import multipart from '@fastify/multipart';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest } from 'fastify';
import { AppConfig, DomainError, ErrorDetail, ValidationFailedError } from '@gongxiao/core';

export const XLSX_UPLOAD_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An uploaded spreadsheet: its bytes, the name the user gave it, and the form's other fields. */
export interface UploadedFile {
  file: Buffer;
  fileName: string;
  fields: Record<string, string>;
}

/**
 * Multipart uploads (a form with one file field "file" and a few text fields), each file at most
 * UPLOAD_LIMIT_BYTES. The file is read into memory: the cap bounds it, and a workbook cannot be
 * read without its central directory at the end anyway.
 */
export async function installUploads(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(multipart as never, { limits: { fileSize: config.UPLOAD_LIMIT_BYTES, files: 1, fields: 20, parts: 21, fieldSize: 10_000 } });
}

/**
 * JSON bodies that are files in all but name (a platform's product export, pasted or uploaded): these
 * routes take up to UPLOAD_LIMIT_BYTES instead of BODY_LIMIT_BYTES (413 past it). Set as routes are
 * registered, so it must run before the app initialises.
 */
export const LARGE_JSON_ROUTES = ['/v1/catalog/platform-imports', '/v1/shops/:shopId/platform-listings'];

export function installLargeJsonRoutes(app: NestFastifyApplication, config: AppConfig): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (LARGE_JSON_ROUTES.includes(route.url)) route.bodyLimit = config.UPLOAD_LIMIT_BYTES;
    });
}

/** The uploaded file of a multipart form, or the raw .xlsx body; 413 past the limit, 415 for anything else, 400 without a file. */
export async function readUploadedFile(request: FastifyRequest, limitBytes: number): Promise<UploadedFile> {
  if (Buffer.isBuffer(request.body) && String(request.headers['content-type'] ?? '').startsWith(XLSX_UPLOAD_TYPE)) return { file: request.body, fileName: 'upload.xlsx', fields: {} };
  if (!request.isMultipart())
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', `Send the file as multipart/form-data (field "file") or as the body with Content-Type ${XLSX_UPLOAD_TYPE}.`);
  const fields: Record<string, string> = {};
  let upload: { file: Buffer; fileName: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || upload) {
          await part.toBuffer();
          throw new ValidationFailedError('Send exactly one file, in the form field "file".', [{ field: part.fieldname, reason: 'unexpected file field' } satisfies ErrorDetail]);
        }
        upload = { file: await part.toBuffer(), fileName: part.filename || 'upload.xlsx' };
      } else fields[part.fieldname] = String(part.value ?? '');
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new DomainError('too_large', 'upload_too_large', `The upload is too large: at most ${Math.floor(limitBytes / 1_048_576)} MB and one file. Split the sheet and upload each part.`);
    throw new ValidationFailedError('The multipart form could not be read; send it again.', [{ field: 'file', reason: (error as Error).message }]);
  }
  if (!upload) throw new ValidationFailedError('The form has no file: send the spreadsheet in the field "file".', [{ field: 'file', reason: 'missing' }]);
  return { ...upload, fields };
}
