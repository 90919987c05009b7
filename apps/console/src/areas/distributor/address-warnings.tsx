import { Alert, Tag, Tooltip, Typography } from 'antd';
import type { Language } from '../../i18n/i18n';
import { ChannelOrder, useDistributorT } from './hooks';

type Warning = ChannelOrder['warnings'][number];

/** What the api could not normalize in an order's address (its warning code), with what the shop wrote. */
const ADDRESS_WARNING: Record<Language, Record<string, (value: string) => string>> = {
  'zh-CN': {
    province_unknown: (value) => `无法识别省份“${value}”：订单已按仓库优先级路由，未能优先选择收货省份的仓库。请核对收货地址。`,
    city_unknown: (value) => `无法识别城市“${value}”：城市和区县按店铺所写保存。请核对收货地址。`,
    city_not_in_province: (value) => `城市“${value}”不属于所填省份：城市和区县按店铺所写保存。请核对收货地址。`,
    district_unknown: (value) => `无法识别区县“${value}”：区县按店铺所写保存。请核对收货地址。`,
    district_not_in_city: (value) => `区县“${value}”不属于所填城市：区县按店铺所写保存。请核对收货地址。`,
  },
  en: {
    province_unknown: (value) => `Province "${value}" not recognized: the order was routed by warehouse priority, not to a warehouse in the consignee's province. Check the address.`,
    city_unknown: (value) => `City "${value}" not recognized: city and district are kept as the shop wrote them. Check the address.`,
    city_not_in_province: (value) => `City "${value}" is not in the province given: city and district are kept as the shop wrote them. Check the address.`,
    district_unknown: (value) => `District "${value}" not recognized: it is kept as the shop wrote it. Check the address.`,
    district_not_in_city: (value) => `District "${value}" is not in the city given: it is kept as the shop wrote it. Check the address.`,
  },
};

const TITLE: Record<Language, { detail: string; tag: string }> = {
  'zh-CN': { detail: '收货地址未能标准化', tag: '地址待核对' },
  en: { detail: 'The address could not be normalized', tag: 'Check address' },
};

function useWarningText() {
  const { language } = useDistributorT();
  return {
    title: TITLE[language] ?? TITLE['zh-CN'],
    // A code the console does not know yet: the api's own (zh-CN) sentence.
    sentence: (warning: Warning) => (ADDRESS_WARNING[language]?.[warning.code] ?? ADDRESS_WARNING['zh-CN'][warning.code])?.(warning.value) ?? warning.message,
  };
}

/** The order's address warnings, above its summary (nothing when its address was normalized). */
export function AddressWarnings({ order }: { order: ChannelOrder }) {
  const { title, sentence } = useWarningText();
  if (!order.warnings?.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="distributor-address-warnings"
      title={title.detail}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {order.warnings.map((warning) => (
            <li key={`${warning.field}:${warning.code}`} data-testid={`distributor-address-warning-${warning.code}`}>
              <Typography.Text>{sentence(warning)}</Typography.Text>
            </li>
          ))}
        </ul>
      }
      style={{ marginBottom: 16 }}
    />
  );
}

/** A tag in the order list for an order whose address has warnings; its tooltip says which. */
export function AddressWarningTag({ order }: { order: ChannelOrder }) {
  const { title, sentence } = useWarningText();
  if (!order.warnings?.length) return null;
  return (
    <Tooltip title={order.warnings.map(sentence).join(' ')}>
      <Tag color="warning" data-testid="distributor-address-warning-tag">
        {title.tag}
      </Tag>
    </Tooltip>
  );
}
