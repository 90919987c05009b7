import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsCarrier, IsPlausibleTrackingNumber, MoneyDto, PageQueryDto } from '@gongxiao/core';

export const RETURN_KINDS = ['refund_only', 'return_and_refund'] as const;
export type ReturnKind = (typeof RETURN_KINDS)[number];
export const RETURN_STATUSES = ['pending_approval', 'approved', 'rejected', 'return_shipped', 'received', 'refunded', 'withdrawn'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export type ReturnOrigin = 'consumer' | 'interception' | 'failed_interception';
export type ReturnRole = 'distributor' | 'broker' | 'supplier';

export class ReturnLineInputDto {
  @ApiProperty({ description: 'Line number of the shop order (1 = first line pushed)' }) @IsInt() @Min(1) @Max(200) lineNo!: number;
  @ApiProperty({ description: 'Units returned or refunded; at most what shipped and is not already in a return case' }) @IsInt() @Min(1) @Max(100_000) quantity!: number;
}

export class OpenReturnDto {
  @ApiProperty({ enum: RETURN_KINDS, description: 'refund_only: the consumer keeps the goods; return_and_refund: the goods come back' })
  @IsIn(RETURN_KINDS)
  kind!: ReturnKind;

  @ApiProperty({ example: 'wrong size', description: "The consumer's reason" }) @IsString() @Length(1, 500) reason!: string;

  @ApiPropertyOptional({ type: [String], description: 'Up to 9 photo URLs (http/https)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @MaxLength(1000, { each: true })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { each: true, message: 'each of photoUrls must be an http(s) URL' })
  photoUrls?: string[];

  @ApiProperty({ type: [ReturnLineInputDto] })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInputDto)
  lines!: ReturnLineInputDto[];
}

export class ListReturnsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RETURN_STATUSES }) @IsOptional() @IsIn(RETURN_STATUSES) status?: ReturnStatus;
  @ApiPropertyOptional({ description: 'Only cases of this shop order (distributors)' }) @IsOptional() @Matches(/^\d{1,18}$/, { message: 'channelOrderId must be an order id' }) channelOrderId?: string;
  @ApiPropertyOptional({ description: 'Only the case opened from this interception request (it appears moments after the supplier answers)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'interceptionRequestId must be an interception request id' })
  interceptionRequestId?: string;
}

export class DecideReturnDto {
  @ApiPropertyOptional({ description: 'Why (required to reject)' }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class ReturnShipmentDto {
  @ApiProperty({ example: 'SF', description: 'The carrier: its code (GET /v1/carriers), Chinese name or a platform’s code; stored as the code' }) @IsCarrier() carrierCode!: string;
  @ApiProperty({ example: 'SF9876543210123', description: 'Plausible for the carrier; spaces dropped and upper-cased before it is checked and stored' })
  @IsPlausibleTrackingNumber()
  trackingNumber!: string;
}

export class ReceiveLineDto {
  @ApiProperty({ description: "The case's line: its fulfillmentOrderLineId (as the supplier sees it in lines[])" })
  @Matches(/^\d{1,18}$/, { message: 'lineId must be a line id' })
  lineId!: string;
  @ApiProperty({ minimum: 0, description: 'Units of this line that go back on the shelf: 0 to the units returned on it' }) @IsInt() @Min(0) @Max(100_000) restockQuantity!: number;
}

export class ReceiveReturnDto {
  @ApiPropertyOptional({
    description:
      'true: the goods go back on the shelf (on-hand stock rises, with a movement); false: damaged, not resellable. With lines: what the lines not named get (default false). Required without lines.',
  })
  @ValidateIf((input: ReceiveReturnDto) => input.lines === undefined || input.lines === null || input.restock !== undefined)
  @IsDefined()
  @IsBoolean()
  restock?: boolean;

  @ApiPropertyOptional({ type: [ReceiveLineDto], description: 'Per line: how many of its units to restock (the rest stays off the shelf)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReceiveLineDto)
  lines?: ReceiveLineDto[];

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) note?: string;
}

export class RefundReturnDto {
  @ApiPropertyOptional({
    type: MoneyDto,
    description:
      'What you refund your buyer for these units (now: on a partially refunded case, a top-up on what was refunded); omit for everything it paid you that is not refunded yet. Passed down the chain in the same proportion, each hop never more than its buyer paid in all.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      "The case's refundCount you are adding to: required for a top-up (a case refunded before), so that the same request sent again (a retry after a lost answer) is refused with 409 instead of refunding twice.",
  })
  @IsOptional()
  @IsInt({ message: 'expectedRefundCount must be a whole number' })
  @Min(0)
  @Max(1000)
  expectedRefundCount?: number;
}

export class ReturnLineDto {
  @ApiProperty() skuId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() skuName!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Units of it put back on the shelf at receipt (0 until received)' }) restockedQuantity!: number;
  @ApiPropertyOptional({ description: 'Shop order line (distributor only)' }) lineNo?: number;
  @ApiPropertyOptional({ description: 'Fulfillment order and line (supplier only)' }) fulfillmentOrderId?: string;
  @ApiPropertyOptional() fulfillmentOrderLineId?: string;
}

export class ReturnMoneyDto {
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'What you paid your seller for these units (null for the supplier)' }) paidToSeller!: MoneyDto | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'What your buyer paid you for these units (null for the distributor: the consumer paid the shop)' })
  paidByBuyer!: MoneyDto | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Refunded to you by your seller (once refunded)' }) refundedToYou!: MoneyDto | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Refunded by you to your buyer (once refunded)' }) refundedByYou!: MoneyDto | null;
}

export class ReturnResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['distributor', 'broker', 'supplier'], description: 'Your place in this case' }) yourRole!: ReturnRole;
  @ApiProperty({ enum: RETURN_KINDS }) kind!: ReturnKind;
  @ApiProperty({
    enum: ['consumer', 'interception', 'failed_interception'],
    description: 'consumer: opened by the distributor; interception: an intercepted parcel coming back; failed_interception: a cancelled order that reached the consumer',
  })
  origin!: ReturnOrigin;
  @ApiProperty({ enum: RETURN_STATUSES }) status!: ReturnStatus;
  @ApiPropertyOptional({ description: 'Shop order (distributor only)' }) channelOrderId?: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [String] }) photoUrls!: string[];
  @ApiProperty({ description: 'Opened inside the no-reason window (no approval needed)' }) withinWindow!: boolean;
  @ApiPropertyOptional({ nullable: true }) windowEndsAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: "The supplier's reason for approving or rejecting (or 超时未处理，系统自动同意 when approved automatically)" })
  decisionReason!: string | null;
  @ApiPropertyOptional({
    enum: ['supplier', 'auto'],
    nullable: true,
    description: 'Who decided: the supplier, or auto (it left the case undecided past decideBy); null while undecided or when no decision was needed',
  })
  decidedBy!: 'supplier' | 'auto' | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'A case waiting for the supplier is approved automatically at this time (the origin offer’s returnDecisionHours after it opened)' })
  decideBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) returnShipment!: { carrierCode: string; trackingNumber: string; shippedAt: string } | null;
  @ApiPropertyOptional({ nullable: true, description: 'restocked: some or all units went back on the shelf (per line in lines[].restockedQuantity)' })
  receipt!: { receivedAt: string; restocked: boolean; restockedUnits: number; note: string | null } | null;
  @ApiProperty({ type: [ReturnLineDto] }) lines!: ReturnLineDto[];
  @ApiProperty({ type: ReturnMoneyDto, description: 'Only your own hops: what you paid and were paid, and refunds' }) money!: ReturnMoneyDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The first refund' }) refundedAt!: string | null;
  @ApiProperty({ description: 'Refunds recorded: the first, then each top-up of a partial refund' }) refundCount!: number;
}

export class OpenedReturnsDto {
  @ApiProperty({ type: [ReturnResponseDto], description: 'One case per supplier whose goods are returned' }) returns!: ReturnResponseDto[];
}

export class SkuReturnRateDto {
  @ApiProperty() skuId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty({ description: 'Units you shipped' }) unitsShipped!: number;
  @ApiProperty({ description: 'Units in return cases that were not rejected or withdrawn' }) unitsReturned!: number;
  @ApiProperty({ description: 'Of which refund only' }) unitsRefundOnly!: number;
  @ApiProperty({ description: 'unitsReturned / unitsShipped (0 to 1)' }) returnRate!: number;
  @ApiProperty({ description: 'Return cases with this SKU you left undecided past their deadline: approved automatically (系统自动同意)' }) casesAutoApproved!: number;
}

export class ReturnRatesDto {
  @ApiProperty({ description: 'All your SKUs together (casesAutoApproved: cases approved automatically, each once)' })
  total!: { unitsShipped: number; unitsReturned: number; returnRate: number; casesAutoApproved: number };
  @ApiProperty({ type: [SkuReturnRateDto], description: 'Per SKU, by SKU code' }) data!: SkuReturnRateDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: the report is one page', example: null }) nextCursor!: string | null;
}
