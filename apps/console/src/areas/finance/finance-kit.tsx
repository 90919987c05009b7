import { Tag } from 'antd';
import { Schemas } from '../../api/client';
import { Money } from '../../components/widgets';
import { localMonth } from '../../format';
import { useT } from '../../i18n/i18n';
import { financeMessages } from './messages';

/** Money as the api sends it: integer minor units and a currency. */
export interface Amount {
  amount: number;
  currency: string;
}

export type Statement = Schemas['StatementResponseDto'];
export type Side = 'receivable' | 'payable';
export type StatementStatus = Statement['status'];
export const STATEMENT_STATUSES: StatementStatus[] = ['draft', 'issued', 'disputed', 'confirmed', 'settled'];

/** The api types its money fields loosely: read one as an amount (or null). */
export function amountOf(value: unknown): Amount | null {
  const money = value as Amount | null | undefined;
  return money && typeof money.amount === 'number' ? money : null;
}

/** ¥1,234.56 of an api money field, exactly as the api gives it. */
export function Yuan({ value, testId }: { value: unknown; testId?: string }) {
  const money = amountOf(value);
  return (
    <span data-testid={testId}>
      <Money amount={money?.amount} currency={money?.currency ?? 'CNY'} />
    </span>
  );
}

const STATUS_COLORS: Record<StatementStatus, string> = { draft: 'default', issued: 'processing', disputed: 'error', confirmed: 'warning', settled: 'success' };

export function StatementStatusTag({ status, testId }: { status: StatementStatus; testId?: string }) {
  const t = useT(financeMessages);
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId}>
      {t(`status.${status}`)}
    </Tag>
  );
}

/** A nullable text field the api types loosely. */
export function textOf(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function sideOf(value: string | null): Side {
  return value === 'payable' ? 'payable' : 'receivable';
}

/** The merchant's last 24 months ("2026-12", "2026-11", …), newest first, with `keep` included (a month from the URL). */
export function recentMonths(timeZone: string, keep?: string): string[] {
  const [year, month] = localMonth(timeZone).split('-').map(Number);
  const months = Array.from({ length: 24 }, (_, back) => {
    const index = year * 12 + (month - 1) - back;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
  return keep && /^\d{4}-\d{2}$/.test(keep) && !months.includes(keep) ? [keep, ...months] : months;
}
