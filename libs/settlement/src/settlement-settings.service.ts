import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { DEFAULT_AUTO_CLOSE_AFTER_DAYS } from './close-period.service';
import { DEFAULT_TIME_ZONE, isTimeZone, periodOf } from './periods';
import { monthOf } from './statement-access';
import { PeriodResponseDto, SettlementSettingsDto, SettlementSettingsResponseDto } from './settlement.dto';
import { isoOf } from './zoned-time';

/** A payee's settlement time zone and auto-close delay, and its months. */
@Injectable()
export class SettlementSettingsService {
  constructor(private readonly em: EntityManager) {}

  async get(actor: ActorContext): Promise<SettlementSettingsResponseDto> {
    const row = await sqlOne<{ time_zone: string; auto_close_after_days: number | null }>(this.em, `select time_zone, auto_close_after_days from settlement_settings where merchant_id = ?`, [
      actor.merchantId,
    ]);
    return row ? { timeZone: row.time_zone, autoCloseAfterDays: row.auto_close_after_days } : { timeZone: DEFAULT_TIME_ZONE, autoCloseAfterDays: DEFAULT_AUTO_CLOSE_AFTER_DAYS };
  }

  /** Fields left out keep their value. A new time zone decides the month of entries posted from now on; closed months stay as they are. */
  async update(actor: ActorContext, input: SettlementSettingsDto): Promise<SettlementSettingsResponseDto> {
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw ValidationFailedError.field('timeZone', 'must be an IANA time zone such as Asia/Shanghai');
    const current = await this.get(actor);
    const next = { timeZone: input.timeZone ?? current.timeZone, autoCloseAfterDays: input.autoCloseAfterDays === undefined ? current.autoCloseAfterDays : input.autoCloseAfterDays };
    await sqlExec(
      this.em,
      `insert into settlement_settings (merchant_id, time_zone, auto_close_after_days) values (?, ?, ?)
       on conflict (merchant_id) do update set time_zone = excluded.time_zone, auto_close_after_days = excluded.auto_close_after_days, updated_at = now()`,
      [actor.merchantId, next.timeZone, next.autoCloseAfterDays],
    );
    return next;
  }

  /** Months where the actor is payee of a statement or closed, newest first, with the current one. */
  async periods(actor: ActorContext): Promise<{ data: PeriodResponseDto[]; nextCursor: null }> {
    const current = periodOf(new Date(), (await this.get(actor)).timeZone);
    const rows = await sqlRows<{ period: string; closed_at: Date | null; closed_automatically: boolean | null; statements: number }>(
      this.em,
      `with me as (select ?::bigint as id, ?::date as current),
       months as (
         select s.period from statement s, me where s.seller_merchant_id = me.id
         union select c.period from closed_period c, me where c.merchant_id = me.id
         union select current from me
       )
       select to_char(m.period, 'YYYY-MM-DD') as period, c.closed_at, c.closed_automatically,
              (select count(*) from statement s where s.seller_merchant_id = me.id and s.period = m.period)::int as statements
         from months m cross join me left join closed_period c on c.merchant_id = me.id and c.period = m.period
        order by m.period desc`,
      [actor.merchantId, current],
    );
    const data = rows.map((row) => ({
      period: monthOf(row.period),
      status: row.closed_at ? ('closed' as const) : ('open' as const),
      closedAt: isoOf(row.closed_at),
      closedAutomatically: row.closed_automatically ?? false,
      statements: row.statements,
    }));
    return { data, nextCursor: null };
  }
}
