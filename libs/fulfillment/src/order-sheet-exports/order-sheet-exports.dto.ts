import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FULFILLMENT_STATUSES } from '../fulfillment.dto';

export const ORDER_SHEET_EXPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export class OrderSheetExportResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ORDER_SHEET_EXPORT_STATUSES }) status!: string;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) language!: string;
  @ApiProperty({ enum: FULFILLMENT_STATUSES, description: 'The fulfillment status filter the sheet was asked with' }) orderStatus!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) warehouseId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) createdFrom!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) createdTo!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Fulfillment order lines the sheet holds (known once the worker started)' }) linesTotal!: number | null;
  @ApiProperty({ description: 'Lines written so far' }) linesWritten!: number;
  @ApiProperty({ description: 'Sheet rows written (a line shipped in several parcels is one row per parcel)' }) rowsWritten!: number;
  @ApiProperty({ description: '0–100' }) percent!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) fileName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where to fetch the file, once done' }) downloadUrl!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it failed and what to do' }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'When the file was deleted, RETENTION_EXPORT_FILE_DAYS after the export finished (downloadUrl is null then, the file answers 409 order_sheet_export_file_missing); ask for the export again',
  })
  filePrunedAt!: string | null;
}
