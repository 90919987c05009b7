import { ActorContext, SheetImportHandler, ValidationFailedError } from '@gongxiao/core';
import { SHEET_IMPORT_KINDS, SheetImportKind } from './imports.dto';

/** The handlers of every kind of upload, each provided by the library whose tables it writes. */
export const SHEET_IMPORT_HANDLERS = Symbol('SHEET_IMPORT_HANDLERS');

/** The handlers by kind; an unknown kind is a 400 naming the kinds there are. */
export class SheetImportHandlers {
  private readonly byKind: Map<string, SheetImportHandler>;

  constructor(handlers: SheetImportHandler[]) {
    this.byKind = new Map(handlers.map((handler) => [handler.kind, handler]));
  }

  /** The kinds this actor may upload and see (each kind's own permission). */
  kindsFor(actor: ActorContext): string[] {
    return [...this.byKind.values()].filter((handler) => actor.can(handler.permission)).map((handler) => handler.kind);
  }

  of(kind: string): SheetImportHandler {
    const handler = SHEET_IMPORT_KINDS.includes(kind as SheetImportKind) ? this.byKind.get(kind) : undefined;
    if (!handler) throw ValidationFailedError.field('kind', `must be one of ${[...this.byKind.keys()].join(', ')}`);
    return handler;
  }
}
