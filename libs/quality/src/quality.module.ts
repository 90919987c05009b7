import { Module } from '@nestjs/common';
import { CatalogModule } from '@gongxiao/catalog';
import { MerchantsModule } from '@gongxiao/merchants';
import { OrdersModule } from '@gongxiao/orders';
import { WebhooksModule } from '@gongxiao/webhooks';
import { PushReviewService } from './push-review.service';
import { QualitySettingsService } from './quality-settings.service';
import { ReviewReceivedJob } from './review-received.job';
import { ScorecardsService } from './scorecards.service';

@Module({
  imports: [CatalogModule, MerchantsModule, OrdersModule, WebhooksModule],
  providers: [PushReviewService, QualitySettingsService, ScorecardsService, ReviewReceivedJob],
  exports: [PushReviewService, QualitySettingsService, ScorecardsService, ReviewReceivedJob],
})
export class QualityModule {}
