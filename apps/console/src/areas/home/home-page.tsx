import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { GettingStarted } from './getting-started';
import { HomeCard, homeCards } from './home-cards';
import { homeMessages } from './home-messages';
import { useSides } from './sides';

function FigureCard({ card }: { card: HomeCard }) {
  const t = useT(homeMessages);
  const figure = useQuery({ queryKey: ['home', card.key, card.link], queryFn: card.fetch, refetchInterval: 30_000 });
  const count = figure.data?.count ?? 0;
  const text = figure.data ? `${count}${figure.data.more ? '+' : ''}` : '—';
  return (
    <Link to={card.link} data-testid={`home-card-${card.key}`}>
      <Card hoverable style={{ height: '100%' }}>
        <Statistic
          title={t(card.title)}
          value={text}
          loading={figure.isLoading}
          styles={{ content: { color: card.alert && count > 0 ? '#cf1322' : undefined } }}
          valueRender={() => <span data-testid={`home-card-${card.key}-count`}>{text}</span>}
        />
        <Typography.Text type="secondary">{t(card.hint)}</Typography.Text>
        {figure.error ? <ApiErrorAlert error={figure.error} /> : null}
      </Card>
    </Link>
  );
}

/** The member's home: what to do today, only the cards its permissions allow; a checklist for a merchant just starting. */
export default function HomePage() {
  const t = useT(homeMessages);
  const session = useSession();
  const sides = useSides();
  const cards = useMemo(() => homeCards(session.timeZone).filter((card) => session.can(card.permission) && (!card.side || (sides.data?.[card.side] ?? false))), [session, sides.data]);
  return (
    <>
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        {t('greeting', { name: session.member?.name ?? session.merchant.name })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      <GettingStarted />
      <ApiErrorAlert error={sides.error} />
      {sides.isLoading ? null : cards.length === 0 ? (
        <EmptyState description={t('nothingYet')} />
      ) : (
        <Row gutter={[16, 16]}>
          {cards.map((card) => (
            <Col key={card.key} xs={24} sm={12} lg={8} xl={6}>
              <FigureCard card={card} />
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
