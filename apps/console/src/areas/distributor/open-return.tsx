import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, message, Modal, Radio, Table } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, idempotencyKey, ok } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { useSession } from '../../auth/session';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { ChannelOrder, OrderLine, useDistributorT } from './hooks';
import { RETURN_KIND } from './labels';

interface ReturnForm {
  kind: 'refund_only' | 'return_and_refund';
  reason: string;
  quantities: Record<number, number | null>;
}

/** The shipped lines, each with the units to return. */
function ReturnLines({ lines }: { lines: OrderLine[] }) {
  const { t } = useDistributorT();
  return (
    <Table<OrderLine>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={lines}
      columns={[
        { title: t('lineNo'), dataIndex: 'lineNo', width: 60 },
        { title: t('skuCode'), dataIndex: 'shopSkuCode' },
        { title: t('shipped'), dataIndex: 'shippedQuantity', align: 'right' },
        {
          title: t('returnQuantity'),
          render: (_, line) => (
            <Form.Item name={['quantities', line.lineNo]} noStyle>
              <InputNumber min={0} max={line.shippedQuantity} precision={0} data-testid={`distributor-return-qty-${line.lineNo}`} />
            </Form.Item>
          ),
        },
      ]}
    />
  );
}

/** Open a return for shipped units: which lines, how many, why, refund only or goods back. */
export function OpenReturnAction({ order }: { order: ChannelOrder }) {
  const { t, label } = useDistributorT();
  const session = useSession();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ReturnForm>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [key] = useState(idempotencyKey);
  const shipped = (order.lines ?? []).filter((line) => line.shippedQuantity > 0);
  const submit = useMutation({
    mutationFn: (values: ReturnForm) => {
      const lines = Object.entries(values.quantities ?? {})
        .filter(([, quantity]) => quantity && quantity > 0)
        .map(([lineNo, quantity]) => ({ lineNo: Number(lineNo), quantity: quantity as number }));
      if (lines.length === 0) throw new Error(t('returnNoLines'));
      return ok(
        api.POST('/v1/channel-orders/{channelOrderId}/returns', {
          params: { path: { channelOrderId: order.id }, header: { 'Idempotency-Key': key } },
          body: { kind: values.kind, reason: values.reason, lines },
        }),
      );
    },
    onSuccess: async (answer) => {
      void message.success(t('returnOpened', { n: answer.returns.length }));
      setOpen(false);
      await queries.invalidateQueries({ queryKey: ['distributor'] });
      void navigate(`/distributor/returns?channelOrderId=${order.id}`);
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  if (!session.can('orders:write') || shipped.length === 0) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="distributor-open-return">
        {t('openReturn')}
      </Button>
      <Modal
        open={open}
        width={640}
        title={t('returnTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: submit.isPending, 'data-testid': 'distributor-return-submit' }}
      >
        <ApiErrorAlert error={error} problems={problems} />
        <Form<ReturnForm> form={form} layout="vertical" initialValues={{ kind: 'return_and_refund', quantities: {} }} onFinish={(values) => submit.mutate(values)}>
          <Form.Item name="kind" label={t('returnKind')}>
            <Radio.Group options={(['return_and_refund', 'refund_only'] as const).map((kind) => ({ value: kind, label: label(RETURN_KIND, kind) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('returnReason')} rules={[{ required: true, message: t('returnReasonRequired') }]}>
            <Input maxLength={500} data-testid="distributor-return-reason" />
          </Form.Item>
          <ReturnLines lines={shipped} />
        </Form>
      </Modal>
    </>
  );
}
