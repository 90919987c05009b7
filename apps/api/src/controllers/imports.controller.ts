import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, ApiPageResponse, AppConfig, RequirePermissions } from '@gongxiao/core';
import { ListSheetImportsQueryDto, SheetImportResponseDto, SheetImportsService, TemplateQueryDto, UploadQueryDto } from '@gongxiao/imports';
import { attachmentDisposition } from '@gongxiao/settlement';
import { readUploadedFile, XLSX_UPLOAD_TYPE } from '../operations/uploads';

const XLSX_FILE = { description: 'The .xlsx file', content: { [XLSX_UPLOAD_TYPE]: { schema: { type: 'string', format: 'binary' } } } } as const;

/** Spreadsheet uploads (回填物流单号, 批量下单, 商品, 库存): templates, uploads applied by the worker, their status and rejected rows. */
@ApiTags('imports')
@Controller('v1')
export class ImportsController {
  constructor(
    private readonly imports: SheetImportsService,
    private readonly config: AppConfig,
  ) {}

  @Get('import-templates/:kind')
  @RequirePermissions()
  @ApiProduces(XLSX_UPLOAD_TYPE)
  @ApiOperation({ summary: 'The empty template of a kind of upload (Chinese headers; ?language=en for English), with a sheet saying which columns are required' })
  @ApiOkResponse(XLSX_FILE)
  @ApiErrors(400)
  async template(@Param('kind') kind: string, @Query() query: TemplateQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const template = await this.imports.template(kind, query.language ?? 'zh-CN');
    await reply.header('content-type', XLSX_UPLOAD_TYPE).header('content-disposition', attachmentDisposition(template.fileName)).send(template.file);
  }

  @Post('imports')
  @RequirePermissions()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data', XLSX_UPLOAD_TYPE)
  @ApiBody({
    description: `A multipart form: "file" (the .xlsx, at most UPLOAD_LIMIT_BYTES), "mode" (all_or_nothing by default, or valid_rows), "language" (zh-CN or en: the reasons and the rejected-rows sheet), and what the kind needs (channel_orders: "shopId"). The kind is the query parameter.`,
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        mode: { type: 'string', enum: ['all_or_nothing', 'valid_rows'] },
        language: { type: 'string', enum: ['zh-CN', 'en'] },
        shopId: { type: 'string', description: 'channel_orders: the shop the orders are for' },
      },
    },
  })
  @ApiOperation({
    summary: 'Upload a sheet: checked at once (not a workbook, password, zip bomb: 422), then read and applied by the worker — follow GET /v1/imports/:id',
    description:
      'Every row is validated before any is applied. all_or_nothing applies nothing when a row is rejected; valid_rows applies the valid ones. Uploading the same sheet again changes nothing twice (rows already applied count as unchanged). The same Idempotency-Key with the same file answers the first upload.',
  })
  @ApiAcceptedResponse({ type: SheetImportResponseDto })
  @ApiIdempotencyKey()
  @ApiErrors(400, 403, 409, 413, 415, 422)
  async upload(@Actor() actor: ActorContext, @Query() query: UploadQueryDto, @Req() request: FastifyRequest): Promise<SheetImportResponseDto> {
    const upload = await readUploadedFile(request, this.config.UPLOAD_LIMIT_BYTES);
    const key = request.headers['idempotency-key'];
    return this.imports.upload(actor, query.kind, upload, typeof key === 'string' ? key : undefined);
  }

  @Get('imports')
  @RequirePermissions()
  @ApiOperation({ summary: 'Uploads of this merchant, newest first' })
  @ApiPageResponse(SheetImportResponseDto)
  @ApiErrors(400)
  list(@Actor() actor: ActorContext, @Query() query: ListSheetImportsQueryDto) {
    return this.imports.list(actor, query);
  }

  @Get('imports/:importId')
  @RequirePermissions()
  @ApiOperation({ summary: 'An upload: status, progress, counts applied / unchanged / rejected, or why the file could not be used' })
  @ApiOkResponse({ type: SheetImportResponseDto })
  @ApiErrors(404)
  get(@Actor() actor: ActorContext, @Param('importId') importId: string) {
    return this.imports.get(actor, importId);
  }

  @Get('imports/:importId/rejected.xlsx')
  @RequirePermissions()
  @ApiProduces(XLSX_UPLOAD_TYPE)
  @ApiOperation({ summary: 'The rejected rows with a reason column, to fix and upload again (409 while not done or when none was rejected)' })
  @ApiOkResponse(XLSX_FILE)
  @ApiErrors(404, 409)
  async rejected(@Actor() actor: ActorContext, @Param('importId') importId: string, @Res() reply: FastifyReply): Promise<void> {
    const rejected = await this.imports.rejectedFile(actor, importId);
    await reply.header('content-type', XLSX_UPLOAD_TYPE).header('content-disposition', attachmentDisposition(rejected.fileName)).send(rejected.file);
  }
}
