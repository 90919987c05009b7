import { useQuery } from '@tanstack/react-query';
import { Button, Card, List, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api, ok } from '../../api/client';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { homeMessages } from './home-messages';

const one = { params: { query: { limit: 1 } } };
const has = async (call: Promise<{ data: unknown[] }>) => (await call).data.length > 0;

/** What a new merchant has set up so far (each step only checked when the member may read it). */
function useProgress() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['home', 'progress'],
    queryFn: async () => {
      const [warehouses, products, partners, offers, received, shops] = await Promise.all([
        can('catalog:read') ? has(ok(api.GET('/v1/warehouses', one))) : Promise.resolve(true),
        can('catalog:read') ? has(ok(api.GET('/v1/products', one))) : Promise.resolve(true),
        can('partners:manage') ? has(ok(api.GET('/v1/partnerships', one))) : Promise.resolve(true),
        can('offers:read') ? has(ok(api.GET('/v1/offers', one))) : Promise.resolve(true),
        can('offers:read') ? has(ok(api.GET('/v1/available-offers', one))) : Promise.resolve(true),
        can('shops:manage') ? has(ok(api.GET('/v1/shops', one))) : Promise.resolve(true),
      ]);
      return { catalog: warehouses && products, partners, offers: offers || received, shops };
    },
  });
}

/** A short checklist for a merchant that has nothing yet: catalog, partners, offers or a shop; hidden once it has partners and goods flow. */
export function GettingStarted() {
  const t = useT(homeMessages);
  const progress = useProgress();
  const done = progress.data;
  if (!done || (done.partners && (done.offers || done.shops))) return null;
  const steps = [
    { key: 'catalog', title: t('stepCatalog'), hint: t('stepCatalogHint'), to: '/warehouse/catalog', done: done.catalog },
    { key: 'partners', title: t('stepPartners'), hint: t('stepPartnersHint'), to: '/network/partners', done: done.partners },
    { key: 'offers', title: t('stepOffers'), hint: t('stepOffersHint'), to: '/offers/published', done: done.offers },
    { key: 'shop', title: t('stepShop'), hint: t('stepShopHint'), to: '/distributor/shops', done: done.shops },
  ];
  return (
    <Card title={t('startTitle')} style={{ marginBottom: 24 }} data-testid="home-getting-started">
      <Typography.Paragraph type="secondary">{t('startHint')}</Typography.Paragraph>
      <List
        dataSource={steps}
        renderItem={(step, index) => (
          <List.Item
            data-testid={`home-step-${step.key}`}
            actions={[
              step.done ? (
                <Tag color="success" key="done">
                  {t('done')}
                </Tag>
              ) : (
                <Link to={step.to} key="go">
                  <Button type="primary" size="small">
                    {t('go')}
                  </Button>
                </Link>
              ),
            ]}
          >
            <List.Item.Meta title={`${index + 1}. ${step.title}`} description={step.hint} />
          </List.Item>
        )}
      />
    </Card>
  );
}
