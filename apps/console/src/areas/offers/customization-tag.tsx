import { Popover, Space, Tag, Typography } from 'antd';
import { Schemas } from '../../api/client';
import { formatMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { customizationMessages } from './customization-messages';
import { AvailableOffer } from './shared';
import { OptionsTable } from './customization-card';

/** 可定制 on an offer a buyer may buy: its options and their extra prices, in a popover. */
export function CustomizationTag({ offer }: { offer: AvailableOffer }) {
  const t = useT(customizationMessages);
  const options = offer.customization?.options ?? [];
  if (options.length === 0) return null;
  return (
    <Popover title={t('title')} content={<OptionsTable options={options} currency={offer.customization?.currency ?? offer.price.currency} />}>
      <Tag color="purple" data-testid={`offer-customization-${offer.id}`}>
        {t('tag')}
      </Tag>
    </Popover>
  );
}

type LineCustomization = { customizationLabel?: string | null; customization?: Record<string, string> | null; customizationExtra?: Schemas['MoneyDto'] | null };

/** A line's 定制: its text as routed (or the options the shop sent, before routing) and the extra per unit within its price. */
export function LineCustomizationText({ line, testId }: { line: LineCustomization; testId?: string }) {
  const t = useT(customizationMessages);
  const sent = line.customization
    ? Object.entries(line.customization)
        .map(([key, value]) => `${key}: ${value}`)
        .join('；')
    : '';
  const text = line.customizationLabel || sent;
  if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
  const extra = line.customizationExtra;
  return (
    <Space orientation="vertical" size={0} data-testid={testId}>
      <Typography.Text>{text}</Typography.Text>
      {extra && extra.amount > 0 && <Typography.Text type="secondary">{t('lineExtra', { price: formatMoney(extra.amount, extra.currency) })}</Typography.Text>}
    </Space>
  );
}
