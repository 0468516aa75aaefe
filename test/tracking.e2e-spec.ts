import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ClsModule, ClsService } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AU_CLS_REQUEST_ID, AuLogger, AuModule, setupAu } from '@au/nestjs';
import { DemoTasks } from '../src/demo/demo.tasks';
import { sharedRedisUrl } from './harness/shared-redis';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function createApp(imports: unknown[], controllers: Function[] = []): Promise<INestApplication> {
  @Module({ imports: imports as never[], controllers: controllers as never[] })
  class FixtureModule {}
  const moduleRef = await Test.createTestingModule({ imports: [FixtureModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: new AuLogger({ colors: false }) });
  setupAu(app);
  await app.init();
  return app;
}

describe.each(['memory', 'bull'] as const)('request ids on the %s backend', (backend) => {
  let app: INestApplication;
  let logged: string[];
  let restore: () => void;

  beforeAll(async () => {
    const redis = backend === 'bull' ? { redis: sharedRedisUrl(), prefix: `t${randomUUID().slice(0, 8)}` } : {};
    app = await createApp([AuModule.forRoot({ tasks: [DemoTasks], backend, ...redis })]);
    logged = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: any[]) => {
      logged.push(String(chunk));
      return write(chunk, ...rest);
    });
    restore = () => spy.mockRestore();
  });

  afterAll(async () => {
    restore();
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  it('echoes a sane X-Request-ID and stores it on the task', async () => {
    const id = 'abc.DEF_1:2-3';
    const res = await http().post('/tasks/noop').set('X-Request-ID', id).send({}).expect(202);
    expect(res.headers['x-request-id']).toBe(id);
    expect(res.body.requestId).toBe(id);
    const read = await http().get(`/tasks/${res.body.id}`).expect(200);
    expect(read.body.requestId).toBe(id);
    expect(read.headers['x-request-id']).toMatch(UUID);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['markup', '<script>alert(1)</script>'],
    ['spaces', 'has space'],
    ['separators', 'a;b,c'],
    ['empty', ''],
  ])('replaces a hostile X-Request-ID (%s) by a new UUIDv4, never echoing or storing it', async (_, hostile) => {
    const res = await http().post('/tasks/noop').set('X-Request-ID', hostile).send({}).expect(202);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    if (hostile) expect(JSON.stringify(res.body)).not.toContain(hostile);
  });

  it('puts X-Request-ID on errors too: 404 route, 404 task, 400 body, malformed JSON', async () => {
    const answers = await Promise.all([
      http().get('/no/such/route').set('X-Request-ID', 'e-1'),
      http().get(`/tasks/${randomUUID()}`).set('X-Request-ID', 'e-2'),
      http().post('/tasks/factorial').set('X-Request-ID', 'e-3').send({ n: 'x' }),
      http().post('/tasks/factorial').set('X-Request-ID', 'e-4').set('content-type', 'application/json').send('{"n":'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 400, 400]);
    expect(answers.map((a) => a.headers['x-request-id'])).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('restores the request id around the task: CLS, ctx and log lines carry it', async () => {
    const res = await http().post('/tasks/context?wait=10').set('X-Request-ID', `ctx-${backend}`).send({}).expect(200);
    expect(res.body.result).toEqual({ requestId: `ctx-${backend}`, taskId: res.body.id, parentId: null, attempt: 1 });
    const line = logged.find((l) => l.includes('context task running') && l.includes(`taskId=${res.body.id}`));
    expect(line).toContain(`requestId=ctx-${backend}`);
  });

  it('passes the request id to child tasks, which record their parent; GET /tasks?requestId= lists the tree', async () => {
    const requestId = `fan-${backend}-${randomUUID().slice(0, 6)}`;
    const parent = await http().post('/tasks/fanout?wait=10').set('X-Request-ID', requestId).send({ n: 3 }).expect(200);
    const childIds: string[] = parent.body.result;
    expect(childIds).toHaveLength(3);
    for (const id of childIds) {
      const child = await http().get(`/tasks/${id}/result?wait=10`).expect(200);
      expect(child.body.result).toBe('3628800');
    }
    const list = await http().get('/tasks').query({ requestId }).expect(200);
    expect(list.body.items).toHaveLength(4);
    expect(list.body.items.every((t: { requestId: string }) => t.requestId === requestId)).toBe(true);
    const children = list.body.items.filter((t: { parentId: string | null }) => t.parentId === parent.body.id);
    expect(children.map((t: { id: string }) => t.id).sort()).toEqual([...childIds].sort());
    const line = logged.find((l) => l.includes('submitted 3 children') && l.includes(`taskId=${parent.body.id}`));
    expect(line).toContain(`requestId=${requestId}`);
  });
});

describe('cooperating with an app that sets up ClsModule itself', () => {
  let app: INestApplication;
  let setups = 0;

  @Controller('whoami')
  class WhoAmIController {
    constructor(private readonly cls: ClsService) {}

    @Get()
    whoami() {
      return { tenant: this.cls.get('tenant'), requestId: this.cls.get(AU_CLS_REQUEST_ID), clsId: this.cls.getId() };
    }
  }

  beforeAll(async () => {
    app = await createApp(
      [
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            generateId: true,
            idGenerator: () => 'app-generated',
            setup: (cls) => {
              setups++;
              cls.set('tenant', 'acme');
            },
          },
        }),
        AuModule.forRoot({ tasks: [DemoTasks] }),
      ],
      [WhoAmIController],
    );
  });

  afterAll(() => app.close());

  it("keeps the app's own CLS values, runs its middleware once, and adds the request id", async () => {
    setups = 0;
    const res = await request(app.getHttpServer()).get('/whoami').set('X-Request-ID', 'coop-1').expect(200);
    expect(res.body.tenant).toBe('acme');
    expect(res.body.requestId).toBe('coop-1');
    expect(res.headers['x-request-id']).toBe('coop-1');
    expect(setups).toBe(1);
  });

  it('still carries the request id into tasks', async () => {
    const res = await request(app.getHttpServer())
      .post('/tasks/context?wait=5')
      .set('X-Request-ID', 'coop-2')
      .send({})
      .expect(200);
    expect(res.body.result.requestId).toBe('coop-2');
  });
});
