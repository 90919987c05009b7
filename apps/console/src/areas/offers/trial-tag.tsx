import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { Money } from '../../components/widgets';
import { formatMoney } from '../../format';
import { useT } from '../../i18n/i18n';
import { AvailableOffer } from './shared';
import { trialMessages } from './trial-messages';
import { CustomizationTag } from './customization-tag';
import { MadeToOrderTag } from './made-to-order-tag';

/** The price a buyer pays for an offer, with its trial under it when there is one. */
export function PriceWithTrial({ offer }: { offer: AvailableOffer }) {
  return (
    <Space orientation="vertical" size={0} align="end">
      <Money amount={offer.price.amount} currency={offer.price.currency} />
      <TrialTag offer={offer} />
      <CustomizationTag offer={offer} />
      <MadeToOrderTag offer={offer} />
    </Space>
  );
}

/** 试销 on an offer a buyer may buy: its trial price and the units it has left, and its trial figures. */
export function TrialTag({ offer }: { offer: AvailableOffer }) {
  const t = useT(trialMessages);
  const [open, setOpen] = useState(false);
  const trial = offer.trial;
  if (!trial) return null;
  return (
    <Space size={4} wrap data-testid={`offer-trial-${offer.id}`}>
      <Tag color={trial.active ? 'orange' : 'default'}>{t('trialTag')}</Tag>
      <span>{t('trialLeft', { price: formatMoney(trial.price.amount, trial.price.currency), n: trial.unitsLeft })}</span>
      <Button size="small" type="link" onClick={() => setOpen(true)} data-testid={`offer-trial-figures-${offer.id}`}>
        {t('trialFigures')}
      </Button>
      {open && <TrialFiguresModal offerId={offer.id} onClose={() => setOpen(false)} />}
    </Space>
  );
}

/** What the buyer's trial of an offer came to: units at the trial price, shipped, returned, bad reviews. */
function TrialFiguresModal({ offerId, onClose }: { offerId: string; onClose: () => void }) {
  const t = useT(trialMessages);
  const figures = useQuery({ queryKey: ['offers', 'trial', offerId], queryFn: () => ok(api.GET('/v1/available-offers/{offerId}/trial', { params: { path: { offerId } } })) });
  const data = figures.data;
  return (
    <Modal open title={t('trialFiguresTitle')} onCancel={onClose} footer={null}>
      <ApiErrorAlert error={figures.error} />
      {data && (
        <Descriptions column={1} data-testid="offer-trial-figures">
          <Descriptions.Item label={t('unitsAtTrialPrice')}>{data.unitsAtTrialPrice}</Descriptions.Item>
          <Descriptions.Item label={t('unitsShipped')}>{data.unitsShipped}</Descriptions.Item>
          <Descriptions.Item label={t('unitsReturned')}>{data.unitsReturned}</Descriptions.Item>
          <Descriptions.Item label={t('orders')}>{data.orders}</Descriptions.Item>
          <Descriptions.Item label={t('badReviews')}>{data.badReviews === null || data.badReviews === undefined ? t('noReviews') : String(data.badReviews)}</Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}
