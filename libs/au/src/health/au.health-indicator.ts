import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { BackendReadiness, TaskBackend } from '../backends/task.backend';

/** How long a readiness check may take before it counts as down (the backend's own bound is about a second). */
const READINESS_TIMEOUT_MS = 1500;

/**
 * Terminus indicator of au's backend: up when it can take and run tasks (Bull: Redis answers PING within a second;
 * memory: not shutting down). Never hangs nor throws: a slow or failing backend reads as down. Add it to your own
 * health controller: `() => auHealth.isReady()`.
 */
@Injectable()
export class AuHealthIndicator {
  private readonly logger = new Logger(AuHealthIndicator.name);

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', ...details } }`; terminus answers 503 when it is down. */
  async isReady(key = 'au'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const { ok, details } = await this.readiness();
    return ok ? session.up(details) : session.down(details);
  }

  private async readiness(): Promise<BackendReadiness> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.moduleRef.get(TaskBackend, { strict: false }).readiness(), timeout]);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      this.logger.warn(`Readiness check failed: ${message}`);
      return { ok: false, details: { message } };
    } finally {
      clearTimeout(timer);
    }
  }
}
