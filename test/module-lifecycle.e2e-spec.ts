import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuModule, setupAu, TaskService } from '@au/nestjs';
import { DemoTasks } from '../src/demo/demo.tasks';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

const CONFIG = 'TEST_CONFIG';

/** Stands in for an app's ConfigModule: options come from a provider, through imports + inject. */
@Module({ providers: [{ provide: CONFIG, useValue: { maxBody: 200, redisUrl: '', prefix: '' } }], exports: [CONFIG] })
class ConfigFixtureModule {}

async function start(root: unknown): Promise<INestApplication> {
  @Module({ imports: [root as never] })
  class LifecycleFixtureModule {}
  const app = (await Test.createTestingModule({ imports: [LifecycleFixtureModule] }).compile()).createNestApplication({ logger: false });
  setupAu(app);
  await app.init();
  return app;
}

describe.each(['memory', 'bull'] as const)('AuModule.forRootAsync on %s', (backend) => {
  it('takes runtime options from an injected provider', async () => {
    const app = await start(
      AuModule.forRootAsync({
        tasks: [DemoTasks],
        backend,
        imports: [ConfigFixtureModule],
        inject: [CONFIG],
        useFactory: (config: { maxBody: number }) => ({
          maxBodyBytes: config.maxBody,
          ...(backend === 'bull' ? { redis: sharedRedisUrl(), prefix: `a${randomUUID().slice(0, 8)}` } : {}),
        }),
      }),
    );
    try {
      const done = await request(app.getHttpServer()).post('/tasks/factorial?wait=5').send({ n: 10 }).expect(200);
      expect(done.body.result).toBe('3628800');
      const tooBig = await request(app.getHttpServer()).post('/tasks/fail').send({ message: 'x'.repeat(300) }).expect(413);
      expect(tooBig.body.message).toContain('200 bytes');
    } finally {
      await app.close();
    }
  });
});

describe('graceful shutdown of the in-memory backend', () => {
  it('takes no new work and lets running tasks finish before closing', async () => {
    const app = await start(AuModule.forRoot({ tasks: [DemoTasks], shutdownTimeoutMs: 20_000 }));
    const tasks = app.get(TaskService);
    const running = await tasks.submit('sleep', { ms: 800 });
    const queued = await tasks.submit('sleep', { ms: 10 }); // sleep runs one at a time: this one waits
    await eventually(async () => (await running.status()) === 'running', 5000, 'running');
    await app.close();
    expect(await tasks.get(running.id)).toMatchObject({ status: 'completed', result: { slept: expect.any(Number) } });
    const neverStarted = await tasks.get(queued.id);
    expect(neverStarted?.status).toBe('pending');
    expect(neverStarted?.startedAt).toBeUndefined();
  });

  it('aborts tasks still running when the shutdown bound is reached', async () => {
    const app = await start(AuModule.forRoot({ tasks: [DemoTasks], shutdownTimeoutMs: 300 }));
    const tasks = app.get(TaskService);
    const endless = await tasks.submit('sleep', { ms: 600_000 });
    await eventually(async () => (await endless.status()) === 'running', 5000, 'running');
    await app.close();
    await eventually(async () => (await tasks.get(endless.id))?.status === 'failed', 5000, 'aborted');
    expect((await tasks.get(endless.id))?.error?.message).toMatch(/Shutting down/);
  });
});
