import { Migration20261201000650SheetImports, Migration20261201000721ImportRuns } from '@gongxiao/imports';
import { Migration20261201000810Quality, Migration20261201000860QualityDelisting } from '@gongxiao/quality';
import { Migration20261122000000Core, Migration20261122001700OutboxJobIds, Migration20261201000540CoreRetention, MigrationEntry } from '@gongxiao/core';
import { Migration20261122000100Merchants, Migration20261201000500Accounts, Migration20261201000542SessionRetention } from '@gongxiao/merchants';
import { Migration20261122000200Partnerships, Migration20261201000510PartnerInvites } from '@gongxiao/partnerships';
import {
  Migration20261122000300Catalog,
  Migration20261201000100WarehouseSigningSecrets,
  Migration20261201000530WarehouseSecretsEncrypted,
  Migration20261201000611SkuSpec,
  Migration20261201000730SkuMerchantIndex,
  Migration20261201000770SkuPlatformSource,
} from '@gongxiao/catalog';
import { Migration20261122000400Inventory, Migration20261122001000StockUpdates } from '@gongxiao/inventory';
import { Migration20261122001100Availability, Migration20261122001200ShopStockSync, Migration20261122001310StockAlertRules, Migration20261122001400ListingCascade } from '@gongxiao/availability';
import {
  Migration20261122000500Offers,
  Migration20261201000900OfferCustomization,
  Migration20261122001600ReturnWindow,
  Migration20261201000410OfferShippingFee,
  Migration20261201000820ReturnDecisionHours,
  Migration20261201000840OfferTrials,
  Migration20261201000800OfferShipWithin,
  Migration20261201000861OfferSuspension,
} from '@gongxiao/offers';
import {
  Migration20261122000600Channels,
  Migration20261201000200ShopSigningSecrets,
  Migration20261201000531ShopSecretsEncrypted,
  Migration20261201000750ShopIntegrations,
  Migration20261201000760PlatformCalls,
  Migration20261201000862ListingDelisting,
} from '@gongxiao/channels';
import {
  Migration20261122000700Orders,
  Migration20261122001501OrdersCancellation,
  Migration20261201000430FundsExceptions,
  Migration20261201000533ChannelOrderContactsEncrypted,
  Migration20261201000620ChannelOrderSourceSheet,
  Migration20261201000751ExternalLineIds,
  Migration20261201000740ChannelOrderAddressWarnings,
  Migration20261201000901ChannelOrderLineCustomization,
} from '@gongxiao/orders';
import {
  Migration20261122000800Fulfillment,
  Migration20261122001500Cancellation,
  Migration20261122001610ReturnsSupport,
  Migration20261201000420HopShippingFee,
  Migration20261201000534FulfillmentOrderContactsEncrypted,
  Migration20261201000610OrderSheetBatches,
  Migration20261201000710OrderSheetExports,
  Migration20261201000711OrderSheetExportRuns,
  Migration20261201000720LineCancellations,
  Migration20261201000841HopTrialUnits,
  Migration20261201000801FulfillmentShipBy,
  Migration20261201000902FulfillmentLineCustomization,
  Migration20261201000863FulfillmentLinesBySku,
} from '@gongxiao/fulfillment';
import { Migration20261122001620AfterSales, Migration20261201000821AfterSalesStandards } from '@gongxiao/aftersales';
import { Migration20261201000400Settlement, Migration20261201000842HoldTrialUnits } from '@gongxiao/settlement';
import {
  Migration20261122000900Webhooks,
  Migration20261122001300Subscriptions,
  Migration20261201000300DeliveryOrdering,
  Migration20261201000532SubscriptionSecretsEncrypted,
  Migration20261201000535DeliveryPayloadsEncrypted,
  Migration20261201000541DeliveryRetention,
} from '@gongxiao/webhooks';

/**
 * Every context's migrations, in the order they apply. A table (or view) belongs to the library whose
 * migration creates it; a library's migration changes only its own tables (test/architecture checks both).
 */
export const MIGRATIONS: MigrationEntry[] = [
  Migration20261122000000Core,
  Migration20261122000100Merchants,
  Migration20261122000200Partnerships,
  Migration20261122000300Catalog,
  Migration20261122000400Inventory,
  Migration20261122000500Offers,
  Migration20261122000600Channels,
  Migration20261122000700Orders,
  Migration20261122000800Fulfillment,
  Migration20261122000900Webhooks,
  Migration20261122001000StockUpdates,
  Migration20261122001100Availability,
  Migration20261122001200ShopStockSync,
  Migration20261122001300Subscriptions,
  Migration20261122001310StockAlertRules,
  Migration20261122001400ListingCascade,
  Migration20261122001500Cancellation,
  Migration20261122001501OrdersCancellation,
  Migration20261122001600ReturnWindow,
  Migration20261122001610ReturnsSupport,
  Migration20261122001620AfterSales,
  Migration20261122001700OutboxJobIds,
  Migration20261201000100WarehouseSigningSecrets,
  Migration20261201000200ShopSigningSecrets,
  Migration20261201000300DeliveryOrdering,
  Migration20261201000400Settlement,
  Migration20261201000410OfferShippingFee,
  Migration20261201000420HopShippingFee,
  Migration20261201000430FundsExceptions,
  Migration20261201000500Accounts,
  Migration20261201000510PartnerInvites,
  Migration20261201000530WarehouseSecretsEncrypted,
  Migration20261201000531ShopSecretsEncrypted,
  Migration20261201000532SubscriptionSecretsEncrypted,
  Migration20261201000533ChannelOrderContactsEncrypted,
  Migration20261201000534FulfillmentOrderContactsEncrypted,
  Migration20261201000535DeliveryPayloadsEncrypted,
  Migration20261201000540CoreRetention,
  Migration20261201000541DeliveryRetention,
  Migration20261201000542SessionRetention,
  Migration20261201000610OrderSheetBatches,
  Migration20261201000611SkuSpec,
  Migration20261201000620ChannelOrderSourceSheet,
  Migration20261201000650SheetImports,
  Migration20261201000710OrderSheetExports,
  Migration20261201000711OrderSheetExportRuns,
  Migration20261201000720LineCancellations,
  Migration20261201000721ImportRuns,
  Migration20261201000730SkuMerchantIndex,
  Migration20261201000740ChannelOrderAddressWarnings,
  Migration20261201000750ShopIntegrations,
  Migration20261201000751ExternalLineIds,
  Migration20261201000760PlatformCalls,
  Migration20261201000770SkuPlatformSource,
  Migration20261201000820ReturnDecisionHours,
  Migration20261201000821AfterSalesStandards,
  Migration20261201000840OfferTrials,
  Migration20261201000841HopTrialUnits,
  Migration20261201000842HoldTrialUnits,
  Migration20261201000800OfferShipWithin,
  Migration20261201000801FulfillmentShipBy,
  Migration20261201000810Quality,
  Migration20261201000860QualityDelisting,
  Migration20261201000861OfferSuspension,
  Migration20261201000862ListingDelisting,
  Migration20261201000863FulfillmentLinesBySku,
  Migration20261201000900OfferCustomization,
  Migration20261201000901ChannelOrderLineCustomization,
  Migration20261201000902FulfillmentLineCustomization,
].map((migration) => ({ name: migration.name, class: migration }));
