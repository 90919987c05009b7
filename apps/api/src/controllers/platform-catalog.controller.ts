import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Actor, ActorContext, ApiErrors, DomainError, LosslessJson, RequirePermissions } from '@gongxiao/core';
import { CatalogPlatform, parsePlatformExport, PlatformCatalogImportService, PlatformExportBodyDto, PlatformImportReportDto } from '@gongxiao/catalog';
import { PlatformListingsReportDto, PlatformListingsService } from '@gongxiao/channels';

/**
 * The export as the platform wrote it: `data` of the raw body read without loss (ids above 2^53 and
 * "199.00" kept as their text), after the validated body said it is there.
 */
function exportOf(request: FastifyRequest & { rawBody?: Buffer }, platform: CatalogPlatform): LosslessJson {
  if (!request.rawBody) throw new DomainError('invalid', 'invalid_json', 'Send {"platform": …, "data": <the export>} as an application/json body.');
  let body: LosslessJson;
  try {
    body = parsePlatformExport(platform, request.rawBody.toString('utf8'));
  } catch (error) {
    // What JSON.parse took but this reader does not (nesting deeper than 200): a 400, never a 500.
    throw new DomainError('invalid', 'invalid_json', `The export could not be read: ${(error as Error).message}.`, [{ field: 'data', reason: 'not readable JSON' }]);
  }
  return (body as Record<string, LosslessJson>).data;
}

@ApiTags('platform catalog')
@Controller('v1')
export class PlatformCatalogController {
  constructor(
    private readonly catalogImports: PlatformCatalogImportService,
    private readonly listings: PlatformListingsService,
  ) {}

  @Post('catalog/platform-imports')
  @RequirePermissions('catalog:write')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import your catalog from a platform's product export (Shopify, WooCommerce, Youzan)",
    description:
      "Products and SKUs are created or updated by SKU code (the platform variant's SKU code / 商家编码); the platform's price is stored as the SKU's list price and its ids as text. " +
      'Variants without a usable code or price are skipped with their reason. The same export twice changes nothing the second time.',
  })
  @ApiOkResponse({ type: PlatformImportReportDto })
  @ApiErrors(400, 409, 413)
  importCatalog(@Actor() actor: ActorContext, @Body() input: PlatformExportBodyDto, @Req() request: FastifyRequest & { rawBody?: Buffer }) {
    return this.catalogImports.importExport(actor, input.platform, exportOf(request, input.platform), input.currency);
  }

  @Post('shops/:shopId/platform-listings')
  @RequirePermissions('shops:manage')
  @HttpCode(200)
  @ApiOperation({
    summary: "Map a platform shop's products to offers as listings, by SKU code",
    description:
      "Each variant whose SKU code is the code of the SKU of exactly one offer available to you becomes the shop's listing of that code (or updates it), at the platform's price, with the platform's product, variant and inventory item ids. " +
      "The shop must be a platform shop of the export's platform. Variants that match no offer, or several, are reported as unmatched.",
  })
  @ApiOkResponse({ type: PlatformListingsReportDto })
  @ApiErrors(400, 404, 413)
  mapListings(@Actor() actor: ActorContext, @Param('shopId') shopId: string, @Body() input: PlatformExportBodyDto, @Req() request: FastifyRequest & { rawBody?: Buffer }) {
    return this.listings.mapExport(actor, shopId, input.platform, exportOf(request, input.platform), input.currency);
  }
}
