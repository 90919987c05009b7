import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorContext, ApiErrors, ApiIdempotencyKey, PageQueryDto, RequirePermissions } from '@gongxiao/core';
import {
  CreateDelistingRuleDto,
  DelistingPageDto,
  DelistingResponseDto,
  DelistingRulePageDto,
  DelistingRuleResponseDto,
  DelistingRulesService,
  DelistingsService,
  ListDelistingsQueryDto,
  ReinstateDelistingDto,
  UpdateDelistingRuleDto,
} from '@gongxiao/quality';

@ApiTags('quality')
@Controller('v1/quality')
export class DelistingController {
  constructor(
    private readonly rules: DelistingRulesService,
    private readonly delistings: DelistingsService,
  ) {}

  @Get('delisting-rules')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Your delisting rules (下架规则)' })
  @ApiOkResponse({ type: DelistingRulePageDto })
  @ApiErrors(400)
  listRules(@Actor() actor: ActorContext, @Query() query: PageQueryDto) {
    return this.rules.list(actor, query);
  }

  @Post('delisting-rules')
  @RequirePermissions('offers:write')
  @ApiOperation({
    summary: 'Add a delisting rule over the goods you sell (listings) or publish (offers)',
    description:
      'Fires when the rate over lines routed in the last windowDays is strictly greater than thresholdPercent and covers at least minOrders fulfillment orders. Evaluated as returns, reviews and overdue orders arrive.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DelistingRuleResponseDto })
  @ApiErrors(400)
  createRule(@Actor() actor: ActorContext, @Body() input: CreateDelistingRuleDto) {
    return this.rules.create(actor, input);
  }

  @Patch('delisting-rules/:ruleId')
  @RequirePermissions('offers:write')
  @ApiOperation({ summary: 'Change a delisting rule (enable / disable, thresholds, action)' })
  @ApiOkResponse({ type: DelistingRuleResponseDto })
  @ApiErrors(400, 404)
  updateRule(@Actor() actor: ActorContext, @Param('ruleId') id: string, @Body() input: UpdateDelistingRuleDto) {
    return this.rules.update(actor, id, input);
  }

  @Delete('delisting-rules/:ruleId')
  @RequirePermissions('offers:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a delisting rule (409 while one of its delistings still suspends goods)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  async deleteRule(@Actor() actor: ActorContext, @Param('ruleId') id: string): Promise<void> {
    await this.rules.remove(actor, id);
  }

  @Get('delistings')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'Your automatic delistings (自动下架记录), newest first, with their evidence' })
  @ApiOkResponse({ type: DelistingPageDto })
  @ApiErrors(400)
  listDelistings(@Actor() actor: ActorContext, @Query() query: ListDelistingsQueryDto) {
    return this.delistings.list(actor, query);
  }

  @Get('delistings/:delistingId')
  @RequirePermissions('offers:read')
  @ApiOperation({ summary: 'One delisting with its evidence (figures, window, orders counted, the rule as it fired)' })
  @ApiOkResponse({ type: DelistingResponseDto })
  @ApiErrors(404)
  getDelisting(@Actor() actor: ActorContext, @Param('delistingId') id: string) {
    return this.delistings.get(actor, id);
  }

  @Post('delistings/:delistingId/reinstate')
  @RequirePermissions('offers:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Put the goods this delisting suspended back on sale (恢复上架), with a reason',
    description: 'Only the offers or listings this delisting suspended return to active; the rule then counts only lines routed from now on for this SKU. 409 when already reinstated.',
  })
  @ApiOkResponse({ type: DelistingResponseDto })
  @ApiErrors(400, 404, 409)
  reinstate(@Actor() actor: ActorContext, @Param('delistingId') id: string, @Body() input: ReinstateDelistingDto) {
    return this.delistings.reinstate(actor, id, input.reason);
  }
}
