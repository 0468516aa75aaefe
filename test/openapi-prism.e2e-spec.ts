import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp, TestPlatform } from './fixtures/create-test-app';
import type { TestAppOptions } from './fixtures/test-app.module';
import { PrismProxy } from './harness/prism-proxy';
import { RedisServer } from './harness/redis-server';
import { coverEveryRoute, coverRedisAway, PrismSession } from './openapi/prism-session';

/** Small, so that an oversized body stays small too. */
const MAX_BODY = 4096;
const OVERSIZED = JSON.stringify({ message: 'x'.repeat(MAX_BODY * 2) });

/** What a failed assertion shows: each answer that is off, with Prism's violations. */
const summary = (s: PrismSession) => s.problems().map(({ what, expected, status, violations }) => ({ what, expected, status, violations }));

/**
 * Prism, a validation proxy no one here wrote, in front of the app with the app's own OpenAPI document: every answer
 * of a session that covers each route and status must come back as the app sent it, with no violation.
 */
describe.each([
  ['memory', 'express'],
  ['bull', 'express'],
  ['memory', 'fastify'],
] as const)('OpenAPI document vs. responses, through Prism (%s on %s)', (backend, platform: TestPlatform) => {
  let redis: RedisServer | undefined;
  let t: TestApp;
  let prism: PrismProxy;

  beforeAll(async () => {
    // Bull gets a Redis of its own, so the session can take it away.
    const options: Partial<TestAppOptions> = { maxBodyBytes: MAX_BODY };
    if (backend === 'bull') {
      redis = await RedisServer.start();
      Object.assign(options, { redisUrl: redis.url, prefix: `op${randomUUID().slice(0, 8)}` });
    }
    t = await createTestApp({ ...options, backend, platform });
    const doc = await (await fetch(`${t.url}/docs-json`)).json();
    prism = await PrismProxy.start(doc, t.url);
  });

  afterAll(async () => {
    await prism?.stop();
    await t?.close();
    await redis?.destroy();
  });

  it('every route and status: each answer as documented, 0 violations', async () => {
    const session = new PrismSession(prism.url, t.url);
    await coverEveryRoute(session, OVERSIZED);
    expect(session.answers.length).toBeGreaterThan(35);
    expect(summary(session)).toEqual([]);
    expect(session.violations()).toEqual([]);
  }, 120_000);

  if (backend === 'bull') {
    it('with Redis away: 503 on every route that touches it, as documented, 0 violations', async () => {
      const session = new PrismSession(prism.url, t.url);
      const known = (await session.send('submit: 202', 202, 'POST', '/tasks/noop', {})).body;
      await redis!.stop();
      try {
        await coverRedisAway(session, known.id);
      } finally {
        await redis!.restart();
      }
      expect(summary(session)).toEqual([]);
    }, 120_000);
  }
});
