import { Tag } from 'antd';
import { useT } from '../../i18n/i18n';
import type { MadeToOrderTerms } from './made-to-order-card';
import { madeToOrderMessages } from './made-to-order-messages';

/** 按单生产 · N天 on an offer that is made to order (its own or a buyer's view of it). */
export function MadeToOrderTag({ offer }: { offer: { id: string; madeToOrder?: MadeToOrderTerms } }) {
  const t = useT(madeToOrderMessages);
  const terms = offer.madeToOrder;
  if (!terms?.madeToOrder) return null;
  const days = terms.leadTimeDays ?? '—';
  return (
    <Tag color="geekblue" title={t('tagTitle', { n: days })} data-testid={`offer-made-to-order-${offer.id}`}>
      {t('tag', { n: days })}
    </Tag>
  );
}
