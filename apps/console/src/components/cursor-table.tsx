import { keepPreviousData, QueryKey, useQuery } from '@tanstack/react-query';
import { Button, Space, Table, TableProps } from 'antd';
import { ReactNode, useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { ApiErrorAlert } from './api-error';
import { commonMessages } from './common-messages';
import { EmptyState } from './widgets';

export interface Page<Row> {
  data: Row[];
  nextCursor?: string | null;
}

interface CursorTableProps<Row> extends Omit<TableProps<Row>, 'dataSource' | 'pagination' | 'loading'> {
  /** The list's query key without the cursor (filters included, so a new filter starts at the first page). */
  queryKey: QueryKey;
  fetchPage: (cursor: string | undefined) => Promise<Page<Row>>;
  /** Polls the current page (e.g. 1000 ms for the supplier's inbox, so new orders appear without a reload). */
  refetchInterval?: number;
  empty: ReactNode;
  emptyAction?: ReactNode;
}

/** A list the api pages with cursors: first / previous / next, the current page kept while the next loads. */
export function CursorTable<Row extends object>({ queryKey, fetchPage, refetchInterval, empty, emptyAction, ...table }: CursorTableProps<Row>) {
  const t = useT(commonMessages);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const filterKey = JSON.stringify(queryKey);
  useEffect(() => setCursors([undefined]), [filterKey]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({ queryKey: [...queryKey, { cursor }], queryFn: () => fetchPage(cursor), placeholderData: keepPreviousData, refetchInterval });
  const rows = query.data?.data ?? [];
  return (
    <>
      <ApiErrorAlert error={query.error} />
      <Table<Row>
        {...table}
        size="middle"
        dataSource={rows}
        loading={query.isLoading}
        pagination={false}
        locale={{ emptyText: query.isLoading ? t('loading') : <EmptyState description={empty} action={emptyAction} /> }}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors([undefined])}>
          {t('firstPage')}
        </Button>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('previousPage')}
        </Button>
        <Button disabled={!query.data?.nextCursor} onClick={() => setCursors([...cursors, query.data?.nextCursor ?? undefined])} data-testid="next-page">
          {t('nextPage')}
        </Button>
      </Space>
    </>
  );
}
