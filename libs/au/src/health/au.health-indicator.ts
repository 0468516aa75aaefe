import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { TaskBackend } from '../backends/task.backend';

/**
 * Terminus indicator of au's backend: up when it can take and run tasks (Bull: Redis answers PING within a second;
 * memory: not shutting down). Add it to your own health controller: `() => auHealth.isReady()`.
 */
@Injectable()
export class AuHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async isReady(key = 'au'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const { ok, details } = await this.moduleRef.get(TaskBackend, { strict: false }).readiness();
    return ok ? session.up(details) : session.down(details);
  }
}
