import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveResponseDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class ReadinessCheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ description: 'What went wrong' }) message?: string;
  @ApiPropertyOptional({ description: 'What to do about it' }) action?: string;
}

export class ReadinessResponseDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ type: [String], description: 'The checks that failed (database, redis, outbox, worker)', example: [] }) failed!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ReadinessCheckDto' }, description: 'Each check by name, with its figures' })
  checks!: Record<string, ReadinessCheckDto>;
}
