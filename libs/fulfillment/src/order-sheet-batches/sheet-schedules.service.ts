import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, isId, NotFoundError, sqlOne, ValidationFailedError } from '@gongxiao/core';
import { CatalogService, WarehouseFacts } from '@gongxiao/catalog';
import { isTimeZone, timeZonesOf } from '@gongxiao/settlement';
import { PutSheetScheduleDto, SheetScheduleResponseDto } from './order-sheet-batches.dto';
import { nextCutAt, normalizeScheduleTimes } from './schedule-clock';

interface ScheduleRow {
  warehouse_id: string;
  times: string[];
  time_zone: string;
  next_cut_at: Date | null;
  updated_at: Date;
}

/** The acting merchant's warehouse, else 404 (another merchant's warehouse is not found either). */
export async function ownWarehouse(catalog: CatalogService, actor: ActorContext, warehouseId: string): Promise<WarehouseFacts> {
  const warehouse = isId(warehouseId) ? (await catalog.warehousesById([warehouseId])).get(String(warehouseId)) : undefined;
  if (!warehouse || warehouse.merchantId !== String(actor.merchantId)) throw new NotFoundError('warehouse', warehouseId);
  return warehouse;
}

function toResponse(warehouseId: string, row: ScheduleRow): SheetScheduleResponseDto {
  return {
    warehouseId: String(warehouseId),
    times: row.times,
    timeZone: row.time_zone,
    nextCutAt: row.next_cut_at ? new Date(row.next_cut_at).toISOString() : null,
    updatedAt: row.updated_at ? new Date(row.updated_at).toISOString() : null,
  };
}

/**
 * When a warehouse's order-sheet batches are cut: times of day in a time zone (the merchant's by
 * default). Setting it starts counting from then: a time that already passed today is not cut
 * after the fact; the next one is.
 */
@Injectable()
export class SheetSchedulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async get(actor: ActorContext, warehouseId: string): Promise<SheetScheduleResponseDto> {
    const warehouse = await ownWarehouse(this.catalog, actor, warehouseId);
    const row = await sqlOne<ScheduleRow>(this.em, `select * from order_sheet_schedule where warehouse_id = ?`, [warehouse.id]);
    if (row) return toResponse(warehouse.id, row);
    const timeZone = (await timeZonesOf(this.em, [warehouse.merchantId])).get(warehouse.merchantId)!;
    return { warehouseId: warehouse.id, times: [], timeZone, nextCutAt: null, updatedAt: null };
  }

  /** `now` is the clock the next cut is counted from (a fake one in tests). */
  async put(actor: ActorContext, warehouseId: string, input: PutSheetScheduleDto, now = new Date()): Promise<SheetScheduleResponseDto> {
    const warehouse = await ownWarehouse(this.catalog, actor, warehouseId);
    const checked = normalizeScheduleTimes(input.times);
    if ('field' in checked) throw ValidationFailedError.field(checked.field, checked.reason);
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw ValidationFailedError.field('timeZone', 'must be an IANA time zone such as Asia/Shanghai');
    const timeZone = input.timeZone ?? (await timeZonesOf(this.em, [warehouse.merchantId])).get(warehouse.merchantId)!;
    const next = nextCutAt(checked.times, timeZone, now);
    const row = (await sqlOne<ScheduleRow>(
      this.em,
      `insert into order_sheet_schedule (warehouse_id, supplier_merchant_id, times, time_zone, next_cut_at) values (?, ?, ?::text[], ?, ?)
       on conflict (warehouse_id) do update set times = excluded.times, time_zone = excluded.time_zone, next_cut_at = excluded.next_cut_at, updated_at = now()
       returning *`,
      [warehouse.id, warehouse.merchantId, checked.times, timeZone, next?.toISOString() ?? null],
    ))!;
    return toResponse(warehouse.id, row);
  }
}
