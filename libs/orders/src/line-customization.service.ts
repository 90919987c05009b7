import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ActorContext, ConflictError, isId, NotFoundError, sqlOne } from '@gongxiao/core';
import { IsCustomizationValues } from './line-customization-values';

export class CorrectLineCustomizationDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { engraving: '生日快乐', packaging: 'gift_box' },
    description: 'The corrected customization of the line (option key → value); null or {} for none',
  })
  @IsOptional()
  @IsCustomizationValues()
  customization?: Record<string, string> | null;
}

/**
 * A line held for its customization (`customization_invalid`) is corrected by the distributor, then
 * the order is retried (POST /v1/channel-orders/{id}/retry) as any exception. Only while the order is
 * an exception, so nothing routed changes; the raw payload keeps what the shop sent, for audit.
 */
@Injectable()
export class LineCustomizationService {
  constructor(private readonly em: EntityManager) {}

  async correct(actor: ActorContext, channelOrderId: string, lineId: string, input: CorrectLineCustomizationDto): Promise<void> {
    const values = input.customization && Object.keys(input.customization).length > 0 ? input.customization : null;
    await this.em.transactional(async (em) => {
      const order =
        isId(channelOrderId) && isId(lineId)
          ? await sqlOne<{ status: string; line_id: string | null }>(
              em,
              `select c.status, l.id::text as line_id from channel_order c left join channel_order_line l on l.channel_order_id = c.id and l.id = ?
                where c.id = ? and c.merchant_id = ? for update of c`,
              [lineId, channelOrderId, actor.merchantId],
            )
          : undefined;
      if (!order) throw new NotFoundError('channel order', channelOrderId);
      if (!order.line_id) throw new NotFoundError('channel order line', lineId);
      if (order.status !== 'exception') {
        throw new ConflictError('channel_order_not_exception', `Order ${channelOrderId} is ${order.status}: a line's customization can be corrected only while the order is held as an exception.`);
      }
      await sqlOne(em, `update channel_order_line set customization = ?::jsonb where id = ? returning id`, [values ? JSON.stringify(values) : null, order.line_id]);
    });
  }
}
