import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, FormInstance, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table } from 'antd';
import { useState } from 'react';
import { api, ok, Schemas } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error';
import { EmptyState } from '../../components/widgets';
import { useT } from '../../i18n/i18n';
import { delistingMessages } from './delisting-messages';

type Rule = Schemas['DelistingRuleResponseDto'];
type RuleInput = Schemas['CreateDelistingRuleDto'];
const METRICS = ['return_rate', 'bad_review_rate', 'overdue_share'] as const;
const NEW_RULE: RuleInput = { target: 'listings', metric: 'return_rate', thresholdPercent: 5, minOrders: 50, windowDays: 30, action: 'suspend', enabled: true };

/** 下架规则: the merchant's rules over the goods it sells or publishes; create, edit, enable/disable, delete (confirmed). */
export function DelistingRulesPage() {
  const t = useT(delistingMessages);
  const client = useQueryClient();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [form] = Form.useForm<RuleInput>();
  const rules = useQuery({ queryKey: ['quality', 'delisting-rules'], queryFn: () => ok(api.GET('/v1/quality/delisting-rules', { params: { query: { limit: 200 } } })) });
  const refresh = () => client.invalidateQueries({ queryKey: ['quality'] });
  const save = useMutation({
    mutationFn: async (input: RuleInput) => {
      const body = { ...input, skuId: input.skuId || undefined };
      if (editing && editing !== 'new') return ok(api.PATCH('/v1/quality/delisting-rules/{ruleId}', { params: { path: { ruleId: editing.id } }, body }));
      return ok(api.POST('/v1/quality/delisting-rules', { body }));
    },
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (rule: Rule) => ok(api.PATCH('/v1/quality/delisting-rules/{ruleId}', { params: { path: { ruleId: rule.id } }, body: { enabled: !rule.enabled } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (rule: Rule) => ok(api.DELETE('/v1/quality/delisting-rules/{ruleId}', { params: { path: { ruleId: rule.id } } })),
    onSuccess: refresh,
  });
  const open = (rule: Rule | 'new') => {
    setEditing(rule);
    form.setFieldsValue(rule === 'new' ? NEW_RULE : ({ ...rule, skuId: rule.skuId ?? undefined } as RuleInput));
  };
  return (
    <Card
      title={t('rulesTitle')}
      extra={
        <Button type="primary" onClick={() => open('new')} data-testid="delisting-rule-add">
          {t('add')}
        </Button>
      }
    >
      <ApiErrorAlert error={rules.error ?? toggle.error ?? remove.error} />
      <Table<Rule>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={rules.isLoading}
        dataSource={rules.data?.data ?? []}
        locale={{ emptyText: <EmptyState description={t('empty')} /> }}
        columns={[
          { title: t('target'), key: 'target', render: (_, rule) => (rule.target === 'offers' ? t('targetOffers') : t('targetListings')) },
          { title: t('sku'), key: 'sku', render: (_, rule) => rule.skuId ?? t('anySku') },
          { title: t('metric'), key: 'metric', render: (_, rule) => t(rule.metric as (typeof METRICS)[number]) },
          { title: t('threshold'), key: 'threshold', align: 'right', render: (_, rule) => `> ${rule.thresholdPercent}%` },
          { title: t('minOrders'), dataIndex: 'minOrders', align: 'right' },
          { title: t('windowDays'), dataIndex: 'windowDays', align: 'right' },
          { title: t('action'), key: 'action', render: (_, rule) => t(rule.action as 'suspend' | 'warn_only') },
          { title: t('enabled'), key: 'enabled', render: (_, rule) => <Switch checked={rule.enabled} loading={toggle.isPending} onChange={() => toggle.mutate(rule)} /> },
          {
            title: '',
            key: 'ops',
            render: (_, rule) => (
              <Space>
                <Button size="small" onClick={() => open(rule)}>
                  {t('edit')}
                </Button>
                <Popconfirm title={t('removeConfirm')} onConfirm={() => remove.mutate(rule)}>
                  <Button size="small" danger>
                    {t('remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <RuleForm form={form} open={editing !== null} isNew={editing === 'new'} saving={save.isPending} error={save.error} onCancel={() => setEditing(null)} onSave={(values) => save.mutate(values)} />
    </Card>
  );
}

/** The rule's fields, in a modal (create or edit). */
function RuleForm(props: { form: FormInstance<RuleInput>; open: boolean; isNew: boolean; saving: boolean; error: unknown; onCancel: () => void; onSave: (values: RuleInput) => void }) {
  const t = useT(delistingMessages);
  const { form } = props;
  return (
    <Modal open={props.open} title={props.isNew ? t('add') : t('edit')} okText={t('save')} cancelText={t('cancel')} confirmLoading={props.saving} onCancel={props.onCancel} onOk={() => form.submit()}>
      <ApiErrorAlert error={props.error} />
      <Form form={form} layout="vertical" onFinish={props.onSave}>
        <Form.Item name="target" label={t('target')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'listings', label: t('targetListings') },
              { value: 'offers', label: t('targetOffers') },
            ]}
          />
        </Form.Item>
        <Form.Item name="skuId" label={t('sku')}>
          <Input placeholder={t('anySku')} />
        </Form.Item>
        <Form.Item name="metric" label={t('metric')} rules={[{ required: true }]}>
          <Select options={METRICS.map((metric) => ({ value: metric, label: t(metric) }))} />
        </Form.Item>
        <Form.Item name="thresholdPercent" label={t('threshold')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} precision={2} />
        </Form.Item>
        <Form.Item name="minOrders" label={t('minOrders')} rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} />
        </Form.Item>
        <Form.Item name="windowDays" label={t('windowDays')} rules={[{ required: true }]}>
          <InputNumber min={1} max={90} precision={0} />
        </Form.Item>
        <Form.Item name="action" label={t('action')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'suspend', label: t('suspend') },
              { value: 'warn_only', label: t('warn_only') },
            ]}
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
