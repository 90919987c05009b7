import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, message, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { FieldProblem } from '../../api/errors';
import { ApiErrorAlert, showFieldErrors } from '../../components/api-error';
import { useDistributorT } from './hooks';
import { useCarriers } from '../../components/carriers';

/** The consumer's return parcel: carrier and tracking. */
export function ReturnShipmentModal({ returnId, onClose }: { returnId: string | null; onClose: () => void }) {
  const { t } = useDistributorT();
  const carriers = useCarriers();
  const queries = useQueryClient();
  const [form] = Form.useForm<Schemas['ReturnShipmentDto']>();
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const save = useMutation({
    mutationFn: (body: Schemas['ReturnShipmentDto']) =>
      ok(api.POST('/v1/returns/{returnId}/return-shipment', { params: { path: { returnId: returnId! } }, body: { ...body, trackingNumber: body.trackingNumber.trim() } })),
    onSuccess: async () => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['distributor', 'returns'] });
      onClose();
    },
    onError: (failure) => {
      setProblems(showFieldErrors(form, failure));
      setError(failure);
    },
  });
  return (
    <Modal
      open={returnId !== null}
      title={t('enterReturnShipment')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'distributor-return-shipment-submit' }}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} problems={problems} />
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Form.Item name="carrierCode" label={t('carrier')} rules={[{ required: true, message: t('carrierRequired') }]}>
          <Select showSearch optionFilterProp="label" options={carriers.options} loading={carriers.loading} data-testid="distributor-return-carrier" />
        </Form.Item>
        <Form.Item name="trackingNumber" label={t('tracking')} rules={[{ required: true, whitespace: true, message: t('trackingRequired') }]}>
          <Input maxLength={60} data-testid="distributor-return-tracking" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
