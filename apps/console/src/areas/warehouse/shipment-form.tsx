import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Table } from 'antd';
import { useRef, useState } from 'react';
import { api, idempotencyKey, ok } from '../../api/client';
import { ApiError, FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useT } from '../../i18n/i18n';
import { useCarriers } from '../../components/carriers';
import { dottedField, FulfillmentOrder, unitsLeft } from './labels';
import { warehouseMessages } from './messages';

interface ShipmentValues {
  carrierCode?: string;
  trackingNumber?: string;
  lines: { lineId: string; quantity: number | null }[];
}

const REFUSED_AS_CANCELLED = new Set(['fulfillment_order_cancelled', 'fulfillment_line_cancelled']);

/** The api numbers lines by their place in the parcel sent; the form by its own rows. */
function relabel(error: unknown, formIndexOf: number[]): unknown {
  if (!(error instanceof ApiError)) return error;
  const details: FieldProblem[] = error.details.map((detail) => {
    const field = dottedField(detail.field)?.replace(/^lines\.(\d+)\./, (_, index: string) => `lines.${formIndexOf[Number(index)] ?? index}.`);
    return { ...detail, field };
  });
  return new ApiError(error.status, error.code, error.message, details, error.requestId);
}

/** Sends the parcel (only lines with units), the api's problems renumbered to the form's rows. */
function useShipment(order: FulfillmentOrder, onError: (failure: unknown) => void) {
  const queryClient = useQueryClient();
  const key = useRef(idempotencyKey());
  return useMutation({
    mutationFn: async (values: ShipmentValues) => {
      const picked = values.lines.map((line, index) => ({ ...line, index })).filter((line) => (line.quantity ?? 0) > 0);
      const body = {
        carrierCode: values.carrierCode ?? '',
        trackingNumber: (values.trackingNumber ?? '').trim(),
        ...(picked.length > 0 ? { lines: picked.map((line) => ({ lineId: line.lineId, quantity: line.quantity ?? 0 })) } : {}),
      };
      try {
        return await ok(api.POST('/v1/fulfillment-orders/{fulfillmentOrderId}/shipments', { params: { path: { fulfillmentOrderId: order.id }, header: { 'Idempotency-Key': key.current } }, body }));
      } catch (failure) {
        throw relabel(
          failure,
          picked.map((line) => line.index),
        );
      }
    },
    onSuccess: async () => {
      key.current = idempotencyKey();
      await queryClient.invalidateQueries({ queryKey: ['warehouse'] });
    },
    onError: (failure) => {
      // A refused body is not retried with the same key (the next attempt is a new action).
      key.current = idempotencyKey();
      onError(failure);
    },
  });
}

/**
 * Records a parcel: carrier, tracking number and units per line (everything left by default,
 * partial allowed). It stays open when the order is cancelled meanwhile: the api then refuses,
 * and that refusal is shown here.
 */
export function ShipmentForm({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  const carriers = useCarriers();
  const [form] = Form.useForm<ShipmentValues>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const initialLines = order.lines.map((line) => ({ lineId: line.id, quantity: unitsLeft(line) }));
  const cancelled = order.status === 'cancelled';

  const mutation = useShipment(order, (failure) => {
    setProblems(showFieldErrors(form, failure));
    setError(failure);
  });

  const submit = (values: ShipmentValues) => {
    setError(null);
    setProblems([]);
    setLocalProblem(null);
    const any = values.lines.some((line) => (line.quantity ?? 0) > 0);
    if (!any && !cancelled) {
      setLocalProblem(t('shipmentNothing'));
      return;
    }
    mutation.mutate(values);
  };

  return (
    <Card title={t('recordShipment')} data-testid="shipment-form" style={{ marginTop: 16 }}>
      {cancelled && <Alert type="warning" showIcon title={t('shipmentCancelledWarning')} style={{ marginBottom: 16 }} data-testid="shipment-cancelled-warning" />}
      {localProblem && <Alert type="warning" showIcon title={localProblem} style={{ marginBottom: 16 }} />}
      {error instanceof ApiError && REFUSED_AS_CANCELLED.has(error.code) && (
        <Alert type="error" showIcon title={t('shipmentRefusedCancelled')} style={{ marginBottom: 8 }} data-testid="shipment-refused" />
      )}
      <ApiErrorAlert error={error} problems={problems} />
      <Form<ShipmentValues> form={form} layout="vertical" initialValues={{ lines: initialLines }} onFinish={submit}>
        <Form.Item name="carrierCode" label={t('carrier')} rules={[{ required: true, message: t('carrierRequired') }]} style={{ maxWidth: 320 }}>
          <Select showSearch optionFilterProp="label" placeholder={t('carrierPlaceholder')} options={carriers.options} loading={carriers.loading} data-testid="shipment-carrier" />
        </Form.Item>
        <Form.Item name="trackingNumber" label={t('trackingNumber')} rules={[{ required: true, whitespace: true, message: t('trackingRequired') }]} style={{ maxWidth: 320 }}>
          <Input placeholder="SF1234567890123" data-testid="shipment-tracking" autoComplete="off" />
        </Form.Item>
        <ShipmentLines order={order} />
        <Button type="primary" htmlType="submit" loading={mutation.isPending} data-testid="shipment-submit">
          {t('shipmentSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function ShipmentLines({ order }: { order: FulfillmentOrder }) {
  const t = useT(warehouseMessages);
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={order.lines.map((line, index) => ({ ...line, index }))}
      style={{ marginBottom: 16 }}
      columns={[
        { title: t('skuCode'), dataIndex: 'skuCode' },
        { title: t('skuName'), dataIndex: 'skuName' },
        { title: t('unitsLeft'), key: 'left', render: (_, line) => unitsLeft(line) },
        {
          title: t('shipNow'),
          key: 'quantity',
          render: (_, line) => (
            <>
              <Form.Item name={['lines', line.index, 'lineId']} hidden>
                <Input />
              </Form.Item>
              <Form.Item name={['lines', line.index, 'quantity']} style={{ margin: 0 }}>
                <InputNumber min={0} precision={0} data-testid={`shipment-qty-${line.skuCode}`} />
              </Form.Item>
            </>
          ),
        },
      ]}
    />
  );
}
