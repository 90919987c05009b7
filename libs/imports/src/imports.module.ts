import { Module } from '@nestjs/common';
import { SheetImportHandler } from '@gongxiao/core';
import { CatalogImportHandler, CatalogModule } from '@gongxiao/catalog';
import { FulfillmentModule, TrackingBackfillHandler } from '@gongxiao/fulfillment';
import { InventoryModule, StockImportHandler } from '@gongxiao/inventory';
import { MerchantsModule } from '@gongxiao/merchants';
import { BulkOrdersHandler, OrdersModule } from '@gongxiao/orders';
import { SHEET_IMPORT_HANDLERS, SheetImportHandlers } from './sheet-import-handlers';
import { SheetImportRequestedJob } from './sheet-import-requested.job';
import { SheetImportsService } from './sheet-imports.service';

/** The handler of each kind of upload, provided by the library that owns what it writes. */
const HANDLERS = [TrackingBackfillHandler, BulkOrdersHandler, CatalogImportHandler, StockImportHandler];

@Module({
  imports: [MerchantsModule, FulfillmentModule, OrdersModule, CatalogModule, InventoryModule],
  providers: [{ provide: SHEET_IMPORT_HANDLERS, inject: HANDLERS, useFactory: (...handlers: SheetImportHandler[]) => new SheetImportHandlers(handlers) }, SheetImportsService, SheetImportRequestedJob],
  exports: [SheetImportsService, SheetImportRequestedJob],
})
export class ImportsModule {}
