import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AuConfigError } from '@au/nestjs';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp, TestPlatform } from './fixtures/create-test-app';
import { TestAppModule } from './fixtures/test-app.module';
import { Chromium } from './harness/chromium';
import { sharedRedisUrl } from './harness/shared-redis';

const TOKEN = 'Bearer dashboard-test';

/** The app's own guard: every route, au's and the dashboard's, needs the token. */
@Injectable()
class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers.authorization === TOKEN;
  }
}

describe.each<TestPlatform>(['express', 'fastify'])('bull-board dashboard (bull on %s)', (platform) => {
  let t: TestApp;
  let chromium: Chromium;

  beforeAll(async () => {
    t = await createTestApp({
      backend: 'bull',
      platform,
      redisUrl: sharedRedisUrl(),
      prefix: `db${randomUUID().slice(0, 8)}`,
      dashboard: { enabled: true },
      providers: [{ provide: APP_GUARD, useClass: TokenGuard }],
    });
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  it('sits behind the same guards as au\'s routes', async () => {
    expect((await t.http.get('/queues')).status).toBe(403);
    expect((await t.http.get('/queues/api/queues')).status).toBe(403);
    expect((await t.http.get('/tasks/stats')).status).toBe(403);
    const page = await t.http.get('/queues').set('authorization', TOKEN);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('lists every task queue in its API', async () => {
    const tasks = Object.keys((await t.http.get('/tasks/stats').set('authorization', TOKEN)).body.queues).sort();
    expect(tasks.length).toBeGreaterThan(10);
    const res = await t.http.get('/queues/api/queues').set('authorization', TOKEN);
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(tasks);
  });

  it('shows every task queue on the page in Chromium', async () => {
    const tasks = Object.keys((await t.http.get('/tasks/stats').set('authorization', TOKEN)).body.queues);
    await t.http.post('/tasks/noop?delay=600').set('authorization', TOKEN).send({});
    const page = await chromium.browser.newPage();
    try {
      await page.setExtraHTTPHeaders({ authorization: TOKEN });
      const response = await page.goto(`${t.url}/queues`, { waitUntil: 'domcontentloaded' });
      expect(response?.status()).toBe(200);
      // The page lists the queues once its script has read them from the dashboard's API.
      await page.waitForFunction((names: string[]) => names.every((name) => document.body.innerText.includes(name)), { timeout: 20_000 }, tasks);
      const text = await page.evaluate(() => document.body.innerText);
      for (const task of tasks) expect(text).toContain(task);
    } finally {
      await page.close();
    }
  });
});

describe('dashboard configuration', () => {
  it('on the memory backend: startup fails with an AuConfigError', async () => {
    const compile = () => Test.createTestingModule({ imports: [TestAppModule.register({ backend: 'memory', dashboard: { enabled: true } })] }).compile();
    const error = await Promise.resolve().then(compile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuConfigError);
    expect((error as Error).message).toMatch(/dashboard .* shows Bull's queues, but the backend is memory/);
  });
});
