/** What an actor may do. Roles grant a fixed set; API keys carry a chosen subset as scopes. */
export const PERMISSIONS = [
  'merchant:manage',
  'partners:manage',
  'catalog:read',
  'catalog:write',
  'stock:write',
  'offers:read',
  'offers:write',
  'shops:manage',
  'orders:read',
  'orders:write',
  'fulfillment:read',
  'fulfillment:write',
  'aftersales:read',
  'aftersales:write',
  'aftersales:refund',
  'finance:read',
  'finance:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'operator', 'warehouse', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  operator: [
    'partners:manage',
    'catalog:read',
    'catalog:write',
    'stock:write',
    'offers:read',
    'offers:write',
    'shops:manage',
    'orders:read',
    'orders:write',
    'fulfillment:read',
    'fulfillment:write',
    'aftersales:read',
    'aftersales:write',
    'aftersales:refund',
  ],
  warehouse: ['catalog:read', 'stock:write', 'fulfillment:read', 'fulfillment:write', 'orders:read', 'aftersales:read', 'aftersales:write'],
  finance: ['catalog:read', 'offers:read', 'orders:read', 'fulfillment:read', 'aftersales:read', 'finance:read', 'finance:write'],
};
