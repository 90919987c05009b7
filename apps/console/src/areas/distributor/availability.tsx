import { Tag } from 'antd';
import { useDistributorT } from './hooks';

/** How many units may be sold now (the minimum along the chain). */
export function Availability({ available, soldOut, testId }: { available: number | undefined | null; soldOut?: boolean; testId?: string }) {
  const { t } = useDistributorT();
  if (available === undefined || available === null) return <span data-testid={testId}>—</span>;
  return soldOut || available <= 0 ? (
    <Tag color="red" data-testid={testId}>
      {t('soldOut')}
    </Tag>
  ) : (
    <span data-testid={testId}>{available.toLocaleString('zh-CN')}</span>
  );
}
