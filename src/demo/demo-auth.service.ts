import { Injectable } from '@nestjs/common';

/** A caller name: 1 to 32 of a-z and 0-9. */
const NAME = /^[a-z0-9]{1,32}$/;

/**
 * The reference app's stand-in for real authentication (DEMO_AUTH=on): `Authorization: Bearer <name>` names the
 * caller. An app checks a JWT here instead; its guard injects this service as DemoBearerGuard does.
 */
@Injectable()
export class DemoAuthService {
  /** The caller an `Authorization` header names, or undefined if it names none. */
  callerOf(authorization: unknown): string | undefined {
    if (typeof authorization !== 'string') return undefined;
    const match = /^Bearer ([^\s]+)$/.exec(authorization);
    return match && NAME.test(match[1]) ? match[1] : undefined;
  }
}
