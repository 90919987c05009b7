import { Alert, Button, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { CursorTable } from '../../components/cursor-table';
import { useT } from '../../i18n/i18n';
import { offersMessages } from './messages';
import { useOwnOfferColumns } from './offer-columns';
import { PublishModal } from './publish-modal';
import { OwnOffer, useDownstreamPartners } from './shared';

type Status = 'active' | 'withdrawn';

/** The offers I publish (own SKUs and re-shares), filtered by status (?status=), and publishing a new one. */
export function PublishedPage() {
  const t = useT(offersMessages);
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const status = (['active', 'withdrawn'] as const).find((value) => value === params.get('status'));
  const [publishing, setPublishing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const partners = useDownstreamPartners();
  const names = new Map((partners.data ?? []).map((partner) => [partner.merchantId, partner.name]));
  const columns = useOwnOfferColumns((id) => names.get(id) ?? id);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('publishedTitle')}
        </Typography.Title>
        {can('offers:write') && (
          <Button type="primary" onClick={() => setPublishing(true)} data-testid="offer-publish">
            {t('publish')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('publishedHint')}
      </Typography.Paragraph>
      {done && <Alert type="success" showIcon closable={{ onClose: () => setDone(null) }} style={{ marginBottom: 16 }} title={done} data-testid="offer-published" />}
      <Segmented<Status | 'all'>
        style={{ marginBottom: 16 }}
        value={status ?? 'all'}
        onChange={(value) => setParams(value === 'all' ? {} : { status: value })}
        options={[
          { value: 'all', label: t('filterAll') },
          { value: 'active', label: t('active') },
          { value: 'withdrawn', label: t('withdrawn') },
        ]}
      />
      <CursorTable<OwnOffer>
        queryKey={['offers', 'own', status ?? 'all']}
        fetchPage={(cursor) => ok(api.GET('/v1/offers', { params: { query: { status, cursor, limit: 50 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `offer-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={columns}
        empty={t('emptyPublished')}
        emptyAction={
          <Link to="/network/partners">
            <Button>{t('emptyPublishedAction')}</Button>
          </Link>
        }
      />
      <PublishModal
        open={publishing}
        onClose={() => setPublishing(false)}
        onPublished={(_, text) => {
          setPublishing(false);
          setDone(text);
        }}
      />
    </>
  );
}
