import { ActorContext } from '../auth/actor-context';
import { Permission } from '../auth/permissions';
import { RejectedRow } from './rejected-rows';
import { SheetRow, SheetSpec } from './sheet-reader';

/** all_or_nothing: any rejected row and nothing is applied; valid_rows: the valid rows are applied, the rest reported. */
export const SHEET_IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const;
export type SheetImportMode = (typeof SHEET_IMPORT_MODES)[number];

export const SHEET_LANGUAGE_CODES = ['zh-CN', 'en'] as const;
export type SheetLanguageCode = (typeof SHEET_LANGUAGE_CODES)[number];

/** What a handler is given to apply one upload. */
export interface SheetImportContext {
  actor: ActorContext;
  /** The upload's id: a stable prefix for per-row idempotency keys together with `fileDigest`. */
  importId: string;
  /** sha256 (hex) of the uploaded bytes: the same sheet uploaded again has the same digest, so row keys derived from it repeat. */
  fileDigest: string;
  mode: SheetImportMode;
  /** The language of reasons and of the rejected-rows sheet. */
  language: SheetLanguageCode;
  /** The form's other fields (for example shopId for bulk orders), already checked against `fields` of the handler. */
  fields: Record<string, string>;
  /**
   * Reports progress (rows done of rows in all); cheap to call often (throttled by the caller). Throws
   * when another run has taken the upload over: let it through, so the handler's transaction is undone.
   */
  progress(done: number, total: number): Promise<void>;
}

/** A handler's answer: counts and the rejected rows with their reason in the context's language. */
export interface SheetImportOutcome {
  /** Rows applied now. */
  applied: number;
  /** Valid rows that were already applied by an earlier upload (a re-upload changes nothing twice). */
  unchanged: number;
  /** Rows refused, each with its reason; in all_or_nothing mode a non-empty list means nothing was applied. */
  rejected: RejectedRow[];
}

/**
 * One kind of spreadsheet upload (tracking backfill, bulk orders, products, stock levels), owned by
 * the library whose tables it writes. The imports library reads the file (safely, with `spec`) in the
 * worker and calls `apply` once with every row.
 */
export interface SheetImportHandler<K extends string = string> {
  kind: string;
  /** The permission the uploader needs (checked at upload and again in the worker). */
  permission: Permission;
  /** The sheet's columns: headers per language (the first zh-CN, then en, then synonyms) and which are required. */
  spec: SheetSpec<K>;
  /** Headers of the template and of the rejected-rows sheet, per language, in column order. */
  templateHeaders: Record<SheetLanguageCode, string[]>;
  /** Form fields the upload needs besides the file (for example shopId); a missing one is a 400 at upload. */
  fields?: { name: string; required: boolean }[];
  /**
   * Checks the form's fields while the uploader waits (for example that the shop is theirs and takes
   * orders), in the upload's language; a refusal is a 4xx naming the field, and nothing is stored.
   * The worker checks again in `apply` (things change between upload and run).
   */
  checkFields?(actor: ActorContext, fields: Record<string, string>, language: SheetLanguageCode): Promise<void>;
  /**
   * Validates every row first, then applies per `mode`; must be idempotent for the same file digest and
   * rows. The rows are handed over: the handler may empty the array once it has taken what it needs.
   */
  apply(context: SheetImportContext, rows: SheetRow<K>[]): Promise<SheetImportOutcome>;
}
