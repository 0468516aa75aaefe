import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AsyncTask, AuConfigError, AuModule } from '@au/nestjs';
import { randomUUID } from 'node:crypto';
import { EmptyDto } from '../src/demo/demo.dto';
import { createTestApp, TestApp, TestPlatform } from './fixtures/create-test-app';
import { ScheduledTasks } from './fixtures/scheduled.tasks';
import { sharedRedisUrl } from './harness/shared-redis';
import { countTicks } from './harness/tick-window';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const cases: [string, 'memory' | 'bull', TestPlatform][] = [
  ['memory on express', 'memory', 'express'],
  ['bull on express', 'bull', 'express'],
  ['memory on fastify', 'memory', 'fastify'],
  ['bull on fastify', 'bull', 'fastify'],
];

describe.each(cases)('schedule list (%s)', (_name, backend, platform) => {
  let t: TestApp;

  beforeAll(async () => {
    const bull = backend === 'bull' ? { redisUrl: sharedRedisUrl(), prefix: `sc${randomUUID().slice(0, 8)}` } : {};
    t = await createTestApp({ backend, platform, extraTasks: [ScheduledTasks], ...bull });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /tasks/schedules lists each schedule with its next run time (not taken for a task id)', async () => {
    const res = await t.http.get('/tasks/schedules');
    expect(res.status).toBe(200);
    const byTask = Object.fromEntries(res.body.items.map((item: { task: string }) => [item.task, item]));
    expect(Object.keys(byTask).sort()).toEqual(['nightly', 'tick']);
    expect(byTask.tick).toMatchObject({ every: 500, cron: null, tz: null, input: { from: 'schedule' } });
    expect(byTask.tick.nextRunAt).toMatch(ISO);
    expect(Date.parse(byTask.tick.nextRunAt) % 500).toBe(0);
    expect(byTask.nightly).toMatchObject({ cron: '0 3 * * *', tz: 'Europe/Paris', every: null, input: {} });
    const nightly = new Date(byTask.nightly.nextRunAt);
    expect(nightly.getTime()).toBeGreaterThan(Date.now());
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(nightly)).toBe('03:00');
  });
});

describe.each(cases.filter(([, , platform]) => platform === 'express'))('scheduled runs (%s)', (_name, backend, platform) => {
  let t: TestApp;

  beforeAll(async () => {
    const bull = backend === 'bull' ? { redisUrl: sharedRedisUrl(), prefix: `sr${randomUUID().slice(0, 8)}` } : {};
    t = await createTestApp({ backend, platform, extraTasks: [ScheduledTasks], ...bull });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('every: 500 makes 6 ± 1 ordinary tasks over 3 s, one per tick, with the schedule\'s input', async () => {
    const list = async () => (await t.http.get('/tasks?task=tick&limit=100')).body.items;
    const { runs, minGapMs } = await countTicks(list, 3000);
    expect(runs).toBeGreaterThanOrEqual(5);
    expect(runs).toBeLessThanOrEqual(7);
    expect(minGapMs).toBeGreaterThan(250);
    const [latest] = await list();
    const result = await t.http.get(`/tasks/${latest.id}/result?wait=10`);
    expect(result.body).toEqual({ id: latest.id, status: 'completed', result: { from: 'schedule' } });
    const stats = await t.http.get('/tasks/stats');
    expect(stats.body.tasks.tick.submitted).toBeGreaterThanOrEqual(runs);
  });
});

describe('a bad schedule fails startup', () => {
  @Injectable()
  class BadCronTasks {
    @AsyncTask({ input: EmptyDto, schedule: { cron: 'every full moon' } })
    howl(): string {
      return 'awoo';
    }
  }

  it('with an AuConfigError naming the task and the expression', async () => {
    const compile = () => Test.createTestingModule({ imports: [AuModule.forRoot({ tasks: [BadCronTasks] })] }).compile();
    const error = await Promise.resolve().then(compile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuConfigError);
    expect((error as Error).message).toMatch(/^Task "howl" has a bad schedule: cron "every full moon" is not valid/);
  });
});
