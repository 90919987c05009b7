import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { Public, QueueName } from '@gongxiao/core';
import { LiveResponseDto, ReadinessCheckDto, ReadinessResponseDto } from './health.dto';
import { ReadinessChecks } from './readiness';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(QueueName.Routing) private readonly queue: Queue,
    private readonly readiness: ReadinessChecks,
  ) {}

  /** Liveness: the process answers; no dependency is asked (a restart would not fix them). */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (asks no dependency)' })
  @ApiOkResponse({ type: LiveResponseDto })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: 200 when the database, Redis, the outbox and a worker are fine; 503 naming what is not and what to do. */
  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: database, Redis, outbox lag and a worker heartbeat (503 names what failed and what to do)' })
  @ApiExtraModels(ReadinessCheckDto)
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiServiceUnavailableResponse({ type: ReadinessResponseDto, description: 'A check failed: `failed` names it, its `action` says what to do' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const readiness = await this.readiness.run();
    if (readiness.status !== 'ok') void reply.status(503);
    return readiness;
  }

  /** The database and Redis only (as before /health/ready existed). */
  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Whether PostgreSQL and Redis answer (200 up, 503 down)' })
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.redis()]);
  }

  private async redis() {
    const indicator = this.indicators.check('redis');
    try {
      const client = await this.queue.getBackend().client;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer within 2 s')), 2000)));
      await Promise.race([client.get('health-probe'), timeout]).finally(() => clearTimeout(timer));
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
