import { ComponentType } from 'react';
import type { Permission } from '../auth/session';

/** A screen in the side menu. `path` is under the area's path; `permission` hides it from members who may not use it (the api still decides). */
export interface AreaPage {
  path: string;
  label: { 'zh-CN': string; en: string };
  /** Shown when the member has any of these. */
  anyOf?: Permission[];
}

/**
 * An area of the console: its own chunk, loaded when first opened. Its module's default export
 * renders the area's <Routes> (paths relative to `/<key>`).
 */
export interface Area {
  key: string;
  label: { 'zh-CN': string; en: string };
  pages: AreaPage[];
  load: () => Promise<{ default: ComponentType }>;
}

export const AREAS: Area[] = [
  {
    key: 'warehouse',
    label: { 'zh-CN': '供货仓库', en: 'Supplier warehouse' },
    load: () => import('./warehouse/warehouse-area'),
    pages: [
      { path: 'inbox', label: { 'zh-CN': '待发货订单', en: 'Order inbox' }, anyOf: ['fulfillment:read'] },
      { path: 'batches', label: { 'zh-CN': '发货批次', en: 'Order-sheet batches' }, anyOf: ['fulfillment:read'] },
      { path: 'production-runs', label: { 'zh-CN': '生产批次', en: 'Production runs' }, anyOf: ['fulfillment:read'] },
      { path: 'interceptions', label: { 'zh-CN': '拦截请求', en: 'Interceptions' }, anyOf: ['fulfillment:read'] },
      { path: 'returns', label: { 'zh-CN': '退货处理', en: 'Return cases' }, anyOf: ['aftersales:read'] },
      { path: 'stock', label: { 'zh-CN': '库存', en: 'Stock' }, anyOf: ['catalog:read', 'stock:write'] },
      { path: 'catalog', label: { 'zh-CN': '商品与仓库', en: 'Products & warehouses' }, anyOf: ['catalog:read'] },
      { path: 'sheets', label: { 'zh-CN': '表格导入导出', en: 'Sheets' }, anyOf: ['fulfillment:write', 'catalog:write', 'stock:write'] },
    ],
  },
  {
    key: 'distributor',
    label: { 'zh-CN': '分销', en: 'Distributor' },
    load: () => import('./distributor/distributor-area'),
    pages: [
      { path: 'orders', label: { 'zh-CN': '分销订单', en: 'Orders' }, anyOf: ['orders:read'] },
      { path: 'exceptions', label: { 'zh-CN': '异常订单', en: 'Exceptions' }, anyOf: ['orders:read'] },
      { path: 'selection', label: { 'zh-CN': '选品中心', en: 'Selection center' }, anyOf: ['offers:read'] },
      { path: 'shops', label: { 'zh-CN': '店铺', en: 'Shops' }, anyOf: ['shops:manage'] },
      { path: 'bulk-orders', label: { 'zh-CN': '批量下单', en: 'Bulk orders' }, anyOf: ['orders:write'] },
      { path: 'returns', label: { 'zh-CN': '售后申请', en: 'Returns' }, anyOf: ['aftersales:read'] },
    ],
  },
  {
    key: 'offers',
    label: { 'zh-CN': '供货与转售', en: 'Offers & brokering' },
    load: () => import('./offers/offers-area'),
    pages: [
      { path: 'published', label: { 'zh-CN': '我发布的货源', en: 'Offers I publish' }, anyOf: ['offers:read'] },
      { path: 'received', label: { 'zh-CN': '收到的货源', en: 'Offers I receive' }, anyOf: ['offers:read'] },
    ],
  },
  {
    key: 'quality',
    label: { 'zh-CN': '服务指标', en: 'Service standards' },
    load: () => import('./quality/quality-area'),
    pages: [
      { path: 'scorecards', label: { 'zh-CN': '服务指标', en: 'Scorecard' }, anyOf: ['orders:read'] },
      { path: 'delisting-rules', label: { 'zh-CN': '下架规则', en: 'Delisting rules' }, anyOf: ['offers:read'] },
      { path: 'delistings', label: { 'zh-CN': '自动下架记录', en: 'Automatic delistings' }, anyOf: ['offers:read'] },
    ],
  },
  {
    key: 'finance',
    label: { 'zh-CN': '财务结算', en: 'Finance' },
    load: () => import('./finance/finance-area'),
    pages: [
      { path: 'statements', label: { 'zh-CN': '对账单', en: 'Statements' }, anyOf: ['finance:read'] },
      { path: 'periods', label: { 'zh-CN': '月结与设置', en: 'Months & settings' }, anyOf: ['finance:read'] },
      { path: 'balances', label: { 'zh-CN': '余额与授信', en: 'Balances & credit' }, anyOf: ['finance:read'] },
      { path: 'invoices', label: { 'zh-CN': '发票申请', en: 'Invoice requests' }, anyOf: ['finance:read'] },
      { path: 'reconciliation', label: { 'zh-CN': '对账核对', en: 'Reconciliation' }, anyOf: ['finance:read'] },
      { path: 'margins', label: { 'zh-CN': '转售毛利', en: 'Broker margin' }, anyOf: ['finance:read'] },
    ],
  },
  {
    key: 'network',
    label: { 'zh-CN': '合作与成员', en: 'Network & people' },
    load: () => import('./network/network-area'),
    pages: [
      { path: 'partners', label: { 'zh-CN': '合作伙伴', en: 'Partners' }, anyOf: ['partners:manage', 'offers:read'] },
      { path: 'members', label: { 'zh-CN': '成员与角色', en: 'Members & roles' }, anyOf: ['merchant:manage'] },
      { path: 'api-keys', label: { 'zh-CN': 'API 密钥', en: 'API keys' }, anyOf: ['merchant:manage'] },
    ],
  },
];

/** The home screen (its own chunk too). */
export const loadHome = () => import('./home/home-page');

/** Joining with a partner's invite code (/join/:code, the link the api gives with a new code): part of the network area. */
export const loadJoin = () => import('./network/join-page');
