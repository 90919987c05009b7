import { Global, Module } from '@nestjs/common';
import { BAD_REVIEWS_SOURCE } from '@gongxiao/aftersales';
import { CatalogModule } from '@gongxiao/catalog';
import { MerchantsModule } from '@gongxiao/merchants';
import { OrdersModule } from '@gongxiao/orders';
import { WebhooksModule } from '@gongxiao/webhooks';
import { DelistingActionsService } from './delisting/delisting-actions.service';
import { DelistingEvaluator } from './delisting/delisting-evaluator';
import { DelistingRulesService } from './delisting/delisting-rules.service';
import { DelistingsService } from './delisting/delistings.service';
import { SalesQualityChangedJob } from './delisting/sales-quality-changed.job';
import { BadReviewsOfLines } from './bad-reviews-of-lines';
import { PushReviewService } from './push-review.service';
import { QualitySettingsService } from './quality-settings.service';
import { ReviewReceivedJob } from './review-received.job';
import { ScorecardsService } from './scorecards.service';

/** Global so that after-sales' trial figures find the reviews source without importing quality (which reads after-sales). */
@Global()
@Module({
  imports: [CatalogModule, MerchantsModule, OrdersModule, WebhooksModule],
  providers: [
    PushReviewService,
    QualitySettingsService,
    ScorecardsService,
    ReviewReceivedJob,
    DelistingActionsService,
    DelistingEvaluator,
    DelistingRulesService,
    DelistingsService,
    SalesQualityChangedJob,
    { provide: BAD_REVIEWS_SOURCE, useClass: BadReviewsOfLines },
  ],
  exports: [PushReviewService, QualitySettingsService, ScorecardsService, ReviewReceivedJob, DelistingEvaluator, DelistingRulesService, DelistingsService, SalesQualityChangedJob, BAD_REVIEWS_SOURCE],
})
export class QualityModule {}
