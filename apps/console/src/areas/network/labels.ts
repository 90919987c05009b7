import type { Permission } from '../../auth/session';
import type { Language } from '../../i18n/i18n';

export type PartnershipStatus = 'invited' | 'active' | 'suspended' | 'declined';
export type InviteStatus = 'active' | 'expired' | 'revoked' | 'used_up';

export const PARTNERSHIP_STATUS: Record<Language, Record<PartnershipStatus, string>> = {
  'zh-CN': { invited: '邀请中', active: '合作中', suspended: '已暂停', declined: '已拒绝' },
  en: { invited: 'Invited', active: 'Active', suspended: 'Suspended', declined: 'Declined' },
};
export const PARTNERSHIP_COLOR: Record<PartnershipStatus, string> = { invited: 'processing', active: 'success', suspended: 'warning', declined: 'default' };

export const INVITE_STATUS: Record<Language, Record<InviteStatus, string>> = {
  'zh-CN': { active: '可使用', expired: '已过期', revoked: '已作废', used_up: '已用完' },
  en: { active: 'Active', expired: 'Expired', revoked: 'Revoked', used_up: 'Used up' },
};
export const INVITE_COLOR: Record<InviteStatus, string> = { active: 'success', expired: 'default', revoked: 'error', used_up: 'default' };

export const MEMBER_STATUS: Record<Language, Record<string, string>> = {
  'zh-CN': { active: '正常', disabled: '已停用' },
  en: { active: 'Active', disabled: 'Disabled' },
};

export const PERMISSION_LABELS: Record<Language, Record<Permission, string>> = {
  'zh-CN': {
    'merchant:manage': '商户管理（成员、密钥）',
    'partners:manage': '管理合作伙伴',
    'catalog:read': '查看商品与仓库',
    'catalog:write': '编辑商品与仓库',
    'stock:write': '更新库存',
    'offers:read': '查看货源',
    'offers:write': '发布与修改货源',
    'shops:manage': '管理店铺',
    'orders:read': '查看分销订单',
    'orders:write': '处理分销订单',
    'fulfillment:read': '查看发货单',
    'fulfillment:write': '发货与拦截处理',
    'aftersales:read': '查看售后',
    'aftersales:write': '处理售后',
    'aftersales:refund': '售后退款',
    'finance:read': '查看财务',
    'finance:write': '财务操作',
  },
  en: {
    'merchant:manage': 'Manage the merchant (members, keys)',
    'partners:manage': 'Manage partners',
    'catalog:read': 'Read products & warehouses',
    'catalog:write': 'Edit products & warehouses',
    'stock:write': 'Update stock',
    'offers:read': 'Read offers',
    'offers:write': 'Publish & change offers',
    'shops:manage': 'Manage shops',
    'orders:read': 'Read orders',
    'orders:write': 'Handle orders',
    'fulfillment:read': 'Read fulfillment orders',
    'fulfillment:write': 'Ship & answer interceptions',
    'aftersales:read': 'Read after-sales',
    'aftersales:write': 'Handle after-sales',
    'aftersales:refund': 'Refund after-sales',
    'finance:read': 'Read finance',
    'finance:write': 'Finance actions',
  },
};

export const ALL_PERMISSIONS = Object.keys(PERMISSION_LABELS.en) as Permission[];
