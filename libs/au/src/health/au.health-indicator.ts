import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { TIMED_OUT, within } from '../core/within';
import { BackendReadiness, TaskBackend } from '../tasks/task.backend';

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
    private readonly backend: TaskBackend,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', ...details } }`; terminus answers 503 when it is down. */
  async isReady(key = 'au'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const { ok, details } = await this.readiness();
    return ok ? session.up(details) : session.down(details);
  }

  private async readiness(): Promise<BackendReadiness> {
    try {
      const readiness = await within(this.backend.readiness(), READINESS_TIMEOUT_MS);
      if (readiness !== TIMED_OUT) return readiness;
      return this.down(`no answer in ${READINESS_TIMEOUT_MS} ms`);
    } catch (error) {
      return this.down((error as Error)?.message ?? String(error));
    }
  }

  private down(message: string): BackendReadiness {
    this.logger.warn(`Readiness check failed: ${message}`);
    return { ok: false, details: { message } };
  }
}
