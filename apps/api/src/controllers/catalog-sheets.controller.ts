import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PassThrough, Writable } from 'node:stream';
import { Actor, ActorContext, ApiErrors, RequirePermissions } from '@gongxiao/core';
import { CatalogExportService, ExportProductsQueryDto } from '@gongxiao/catalog';
import { ExportStockLevelsQueryDto, StockExportService } from '@gongxiao/inventory';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Today on the merchant's wall clock (Asia/Shanghai until merchants choose their own zone), for file names. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** A download name that survives every browser: an ASCII fallback and the UTF-8 name. */
function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Products/SKUs and stock levels as Excel files in the columns their uploads read (the uploads
 * themselves are POST /v1/imports?kind=products and ?kind=stock_levels); the stock sheet is the
 * template to fill, with a row for every SKU in every active warehouse.
 */
@ApiTags('catalog')
@Controller('v1')
export class CatalogSheetsController {
  private readonly logger = new Logger('catalog-export');

  constructor(
    private readonly products: CatalogExportService,
    private readonly stock: StockExportService,
  ) {}

  @Get('products/export.xlsx')
  @RequirePermissions('catalog:read')
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'Your products and SKUs as an Excel file, one row per SKU, in the columns the products upload reads (Chinese headers; ?language=en)' })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400)
  exportProducts(@Actor() actor: ActorContext, @Query() query: ExportProductsQueryDto, @Res() reply: FastifyReply): void {
    const language = query.language ?? 'zh-CN';
    this.stream(reply, `${language === 'en' ? 'products' : '商品资料'}-${today()}.xlsx`, (output) => this.products.writeXlsx(actor, language, output));
  }

  @Get('stock-levels/export.xlsx')
  @RequirePermissions('catalog:read')
  @ApiProduces(XLSX)
  @ApiOperation({
    summary:
      'Your stock as an Excel file to fill: a row for every SKU in every active warehouse (0 on hand where no level is kept yet) and the levels an inactive one still holds, with on hand, reserved, available; it uploads again as it is',
  })
  @ApiOkResponse({ description: 'The .xlsx file', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 404)
  async exportStockLevels(@Actor() actor: ActorContext, @Query() query: ExportStockLevelsQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const language = query.language ?? 'zh-CN';
    await this.stock.assertCanExport(actor, query.warehouseId);
    this.stream(reply, `${language === 'en' ? 'stock-levels' : '库存'}-${today()}.xlsx`, (output) => this.stock.writeXlsx(actor, { language, warehouseId: query.warehouseId }, output));
  }

  private stream(reply: FastifyReply, fileName: string, write: (output: Writable) => Promise<number>): void {
    const stream = new PassThrough();
    void reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).send(stream);
    write(stream).catch((error: unknown) => {
      this.logger.error({ err: error }, 'export failed');
      stream.destroy(error as Error);
    });
  }
}
