import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { FulfillmentModule } from '@gongxiao/fulfillment';
import { InventoryModule } from '@gongxiao/inventory';
import { OffersModule } from '@gongxiao/offers';
import { OrdersModule } from '@gongxiao/orders';
import { WebhooksModule } from '@gongxiao/webhooks';
import { InterceptionAnsweredJob } from './interception-answered.job';
import { OpenReturnService } from './open-return.service';
import { ReceiveReturnService } from './receive-return.service';
import { RefundService } from './refund.service';
import { ReturnAutoApprovalService } from './return-auto-approval.service';
import { ReturnCasesService } from './return-cases.service';
import { ReturnDecisionsService } from './return-decisions.service';
import { ReturnMovesService } from './return-moves.service';
import { ReturnPresenter } from './return.presenter';
import { ReturnQueriesService } from './return-queries.service';
import { ReturnRatesService } from './return-rates.service';
import { TrialFiguresService } from './trial-figures.service';

const USE_CASES = [
  OpenReturnService,
  ReturnDecisionsService,
  ReceiveReturnService,
  RefundService,
  ReturnQueriesService,
  ReturnRatesService,
  ReturnAutoApprovalService,
  TrialFiguresService,
  InterceptionAnsweredJob,
];

@Module({
  imports: [CatalogModule, FulfillmentModule, InventoryModule, OffersModule, OrdersModule, WebhooksModule],
  providers: [ReturnCasesService, ReturnMovesService, ReturnPresenter, ...USE_CASES],
  exports: USE_CASES,
})
export class AfterSalesModule {}
