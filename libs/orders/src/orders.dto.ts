import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CURRENCIES, Currency, IsTimestamp, MAX_AMOUNT, MoneyDto, PageQueryDto } from '@gongxiao/core';
import { IsCustomizationValues } from './line-customization-values';
import { acceptsPushOrderAsIs, COUNTRY, PHONE, VISIBLE_ASCII } from './push-order.plain-check';

const ID = /^\d{1,18}$/;

export class ConsigneeDto {
  @ApiProperty({ example: '张三' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ example: '13800138000' })
  @Matches(PHONE, { message: 'phone must be a phone number (digits, spaces, - and a leading +)' })
  phone!: string;
  @ApiProperty({ example: '浙江省' }) @IsString() @Length(1, 40) province!: string;
  @ApiProperty({ example: '杭州市' }) @IsString() @Length(1, 40) city!: string;
  @ApiProperty({ example: '西湖区' }) @IsString() @Length(1, 40) district!: string;
  @ApiProperty({ example: '文三路 100 号 2 单元 301' }) @IsString() @Length(1, 300) address!: string;
  @ApiPropertyOptional({
    example: 'CN',
    description: 'ISO 3166-1 alpha-2 country of the address (CN when absent). Chinese addresses (CN, HK, MO, TW) are normalized to the national divisions; others are kept as given',
  })
  @IsOptional()
  @Matches(COUNTRY, { message: 'countryCode must be an ISO 3166-1 alpha-2 country code such as CN' })
  countryCode?: string;
}

/** What normalizing a shop order's address could not settle: the part is kept as the shop wrote it. */
export class AddressWarningDto {
  @ApiProperty({ enum: ['province_unknown', 'city_unknown', 'city_not_in_province', 'district_unknown', 'district_not_in_city'] }) code!: string;
  @ApiProperty({ enum: ['province', 'city', 'district'] }) field!: string;
  @ApiProperty({ description: 'What the order says, as written', example: 'Narnia' }) value!: string;
  @ApiProperty({ description: 'What it means for routing and what to do (zh-CN)' }) message!: string;
}

export class OrderLineDto {
  @ApiProperty({ example: 'YZ-10023-RED-M', description: "The shop's SKU code; a listing maps it to an offer" })
  @IsString()
  @Length(1, 100)
  shopSkuCode!: string;

  @ApiPropertyOptional({ example: 'Cotton T-shirt red M' }) @IsOptional() @IsString() @MaxLength(300) title?: string;

  @ApiPropertyOptional({ example: '13787520434226', description: "The shop platform's own id of this line (Shopify line item id, Youzan oid): named in exceptions and shipment notices" })
  @IsOptional()
  @Matches(VISIBLE_ASCII, { message: 'externalLineId must be 1-64 visible ASCII characters' })
  externalLineId?: string;

  @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(100_000) quantity!: number;

  @ApiProperty({ example: 5990, description: 'Unit retail price in minor units (fen), in the order currency' })
  @IsInt({ message: 'unitPrice must be an integer number of minor units (fen)' })
  @Min(0)
  @Max(MAX_AMOUNT)
  unitPrice!: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { engraving: '生日快乐', packaging: 'gift_box' },
    description:
      'Light customization (轻定制): option key → value, as the origin offer declares them (GET /v1/available-offers/{id} `customization`). Checked at routing: a bad one holds the order naming the key',
  })
  @IsOptional()
  @IsCustomizationValues()
  customization?: Record<string, string>;
}

export class OrderAmountsDto {
  @ApiPropertyOptional({ description: 'Shipping charged to the consumer, minor units' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_AMOUNT) shipping?: number;
  @ApiPropertyOptional({ description: 'Discount given, minor units' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_AMOUNT) discount?: number;
  @ApiPropertyOptional({ description: 'What the consumer paid: goods + shipping − discount; checked when given' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  total?: number;
}

/** An order as a shop pushes it (and as a distributor enters it by hand). */
export class PushOrderDto {
  @ApiProperty({ example: 'YZ20261122000123', description: "The shop's order id; pushing it again returns the same order" })
  @Matches(VISIBLE_ASCII, { message: 'externalOrderId must be 1-64 visible ASCII characters' })
  externalOrderId!: string;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'CNY' }) @IsOptional() @IsIn(CURRENCIES) currency?: Currency;

  @ApiProperty({ type: ConsigneeDto }) @IsDefined() @ValidateNested() @Type(() => ConsigneeDto) consignee!: ConsigneeDto;

  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'lines must hold at least one line' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @ApiPropertyOptional({ type: OrderAmountsDto }) @IsOptional() @ValidateNested() @Type(() => OrderAmountsDto) amounts?: OrderAmountsDto;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) remarks?: string;

  @ApiPropertyOptional({ example: '2026-11-22T10:00:00+08:00' }) @IsOptional() @IsTimestamp() placedAt?: string;

  /** A body the decorators would accept unchanged skips them (AcceptsAsIs in core's validation). CreateManualOrderDto's shopId makes it answer false there. */
  static acceptsAsIs(value: unknown): boolean {
    return acceptsPushOrderAsIs(value);
  }
}

export class CreateManualOrderDto extends PushOrderDto {
  @ApiProperty({ description: 'The shop the order belongs to' }) @Matches(ID, { message: 'shopId must be a shop id' }) shopId!: string;
}

export class ListChannelOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['received', 'routed', 'exception', 'partially_shipped', 'shipped', 'cancelled'] })
  @IsOptional()
  @IsIn(['received', 'routed', 'exception', 'partially_shipped', 'shipped', 'cancelled'])
  status?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'shopId must be a shop id' }) shopId?: string;

  @ApiPropertyOptional({ description: 'Only exceptions with this code (e.g. insufficient_funds, unknown_shop_sku)' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/, { message: 'exceptionCode must be an exception code such as insufficient_funds' })
  exceptionCode?: string;

  @ApiPropertyOptional({ description: 'Received at or after (ISO-8601)' }) @IsOptional() @IsTimestamp() createdFrom?: string;
  @ApiPropertyOptional({ description: 'Received before (ISO-8601)' }) @IsOptional() @IsTimestamp() createdTo?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only orders with a fulfillment order overdue now (past its ship-by, not fully shipped, not cancelled)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}

export class ShipmentRefDto {
  @ApiProperty() shipmentId!: string;
  @ApiProperty() carrierCode!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() shippedAt!: string;
}

export class ChannelOrderLineResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() lineNo!: number;
  @ApiProperty() shopSkuCode!: string;
  @ApiPropertyOptional({ nullable: true, description: "The shop platform's own id of the line" }) externalLineId!: string | null;
  @ApiPropertyOptional({ nullable: true }) title!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty() shippedQuantity!: number;
  @ApiProperty({ description: 'Cancelled before it shipped' }) cancelledQuantity!: number;
  @ApiProperty({ type: MoneyDto }) unitPrice!: MoneyDto;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'What you pay your supplier per unit, frozen at routing' }) supplyPrice!: MoneyDto | null;
  @ApiProperty({ type: [ShipmentRefDto] }) shipments!: ShipmentRefDto[];
  @ApiPropertyOptional({ nullable: true, description: 'The merchant you buy this line from (your own seller), once routed' }) sellerName?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The fulfillment order (parcel group) this line went to, once routed' }) fulfillmentOrderId?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, description: 'Light customization (轻定制) as the shop sent it (null: none)' })
  customization!: Record<string, string> | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true, description: 'The customization as routed (keys sorted, values trimmed), once routed' })
  routedCustomization?: Record<string, string> | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The customization as people read it (刻字: 生日快乐；包装: 礼盒), once routed' }) customizationLabel?: string | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Of the supply price, the customization extra per unit, once routed' }) customizationExtra?: MoneyDto | null;
}

export class ChannelOrderResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() shopId!: string;
  @ApiProperty() externalOrderId!: string;
  @ApiProperty({ enum: ['received', 'routed', 'exception', 'partially_shipped', 'shipped', 'cancelled'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) exceptionCode!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Why the order could not be routed, and what to do' }) exceptionReason!: string | null;
  @ApiProperty({
    type: ConsigneeDto,
    description: 'Province, city and district as the national divisions name them (广东省 / 深圳市 / 南山区), or as given when they could not be normalized (see warnings)',
  })
  consignee!: ConsigneeDto;
  @ApiProperty({ type: [AddressWarningDto], description: 'Routing warnings: parts of the address that could not be normalized (an unknown province routes by warehouse priority alone)' })
  warnings!: AddressWarningDto[];
  @ApiProperty({ type: MoneyDto }) total!: MoneyDto;
  @ApiPropertyOptional({ nullable: true }) remarks!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiPropertyOptional({ nullable: true }) routedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The earliest ship-by of its fulfillment orders, once routed' }) shipBy?: string | null;
  @ApiPropertyOptional({ description: 'A fulfillment order of it is overdue now (超时未发货): past its ship-by, not fully shipped, not cancelled' }) overdue?: boolean;
  @ApiPropertyOptional({ description: "Made to order: some of its units wait for the supplier's production run (生产中)" }) inProduction?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Made to order: the ship date the supplier promised when it confirmed the production run (预计发货日, YYYY-MM-DD)' })
  promisedShipDate?: string | null;
  @ApiPropertyOptional({ type: [ChannelOrderLineResponseDto] }) lines?: ChannelOrderLineResponseDto[];
}

export class PushReceiptDto {
  @ApiProperty() id!: string;
  @ApiProperty() externalOrderId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'True when this external order id was already received; nothing changed' }) duplicate!: boolean;
  @ApiProperty() receivedAt!: string;
}
