import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Space, Tag, Typography } from 'antd';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { CursorTable } from '../../components/cursor-table';
import { ConfirmButton, DateTime } from '../../components/widgets';
import { useLanguage, useT } from '../../i18n/i18n';
import { PARTNERSHIP_COLOR, PARTNERSHIP_STATUS } from './labels';
import { networkMessages } from './messages';

export type Partnership = Schemas['PartnershipResponseDto'];
type Action = 'accept' | 'decline' | 'suspend' | 'resume';

/** The other merchant of a partnership, as this merchant sees it. */
export function counterpart(row: Partnership) {
  return row.yourSide === 'upstream' ? row.downstream : row.upstream;
}

function usePartnershipAction() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: Action }) => {
      const params = { params: { path: { partnershipId: id } } };
      if (action === 'accept') return ok(api.POST('/v1/partnerships/{partnershipId}/accept', params));
      if (action === 'decline') return ok(api.POST('/v1/partnerships/{partnershipId}/decline', params));
      if (action === 'suspend') return ok(api.POST('/v1/partnerships/{partnershipId}/suspend', params));
      return ok(api.POST('/v1/partnerships/{partnershipId}/resume', params));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['partnerships'] }),
  });
}

function RowActions({ row, run, busy }: { row: Partnership; run: (action: Action) => void; busy: boolean }) {
  const t = useT(networkMessages);
  if (row.status === 'invited' && row.yourSide === 'downstream') {
    return (
      <Space>
        <Button type="primary" size="small" loading={busy} onClick={() => run('accept')} data-testid={`partner-accept-${row.id}`}>
          {t('accept')}
        </Button>
        <ConfirmButton title={t('declineConfirm')} onConfirm={() => run('decline')} testId={`partner-decline-${row.id}`}>
          {t('decline')}
        </ConfirmButton>
      </Space>
    );
  }
  if (row.status === 'active') {
    return (
      <ConfirmButton danger title={t('suspendConfirm')} onConfirm={() => run('suspend')} testId={`partner-suspend-${row.id}`}>
        {t('suspend')}
      </ConfirmButton>
    );
  }
  if (row.status === 'suspended') {
    return (
      <Button size="small" loading={busy} onClick={() => run('resume')} data-testid={`partner-resume-${row.id}`}>
        {t('resume')}
      </Button>
    );
  }
  return null;
}

/** One tab of partnerships (upstream, downstream or the invitations waiting for me), with what can be done to each. */
export function PartnershipsTable({ side, status, empty }: { side: 'upstream' | 'downstream'; status?: 'invited'; empty: string }) {
  const t = useT(networkMessages);
  const { language } = useLanguage();
  const action = usePartnershipAction();
  return (
    <>
      <ApiErrorAlert error={action.error} />
      <CursorTable<Partnership>
        queryKey={['partnerships', side, status ?? 'all']}
        fetchPage={(cursor) => ok(api.GET('/v1/partnerships', { params: { query: { side, status, cursor, limit: 50 } } }))}
        rowKey="id"
        onRow={(row) => ({ 'data-testid': `partner-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
        empty={empty}
        columns={[
          {
            title: t('partner'),
            key: 'partner',
            render: (_, row) => {
              const other = counterpart(row);
              return (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{other.name ?? t('pendingName')}</Typography.Text>
                  <Typography.Text type="secondary" copyable={{ text: other.merchantId }}>
                    {t('partnerId')} {other.merchantId}
                  </Typography.Text>
                </Space>
              );
            },
          },
          {
            title: t('status'),
            key: 'status',
            render: (_, row) => (
              <Space orientation="vertical" size={0}>
                <Tag color={PARTNERSHIP_COLOR[row.status]} data-testid={`partner-status-${row.id}`}>
                  {PARTNERSHIP_STATUS[language][row.status]}
                </Tag>
                {row.status === 'suspended' && row.suspendedBy && (
                  <Typography.Text type="secondary">{t('suspendedBy', { side: t(row.suspendedBy === 'upstream' ? 'sideUpstream' : 'sideDownstream') })}</Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('currency'), key: 'currency', render: (_, row) => `${row.currency} · ${row.settlementCycle === 'monthly' ? t('monthly') : row.settlementCycle}` },
          { title: t('invitedAt'), key: 'invitedAt', render: (_, row) => <DateTime at={row.invitedAt} /> },
          { title: t('acceptedAt'), key: 'acceptedAt', render: (_, row) => <DateTime at={row.acceptedAt as unknown as string | null} /> },
          { title: t('noteLabel'), key: 'note', render: (_, row) => (row.note as unknown as string | null) ?? '—' },
          {
            title: '',
            key: 'actions',
            render: (_, row) => <RowActions row={row} busy={action.isPending && action.variables?.id === row.id} run={(name) => action.mutate({ id: row.id, action: name })} />,
          },
        ]}
      />
    </>
  );
}
