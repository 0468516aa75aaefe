import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setupAu } from '@au/nestjs';
import request from 'supertest';

/**
 * The reference app itself (src/app.module.ts), set up as src/main.ts does it: `setupAu(app)`, then `listen` (on a
 * free loopback port). Its backend comes from the environment; it is pinned to memory here so this spec never
 * reaches for the default Redis.
 */
describe('reference app (src/app.module.ts)', () => {
  let app: INestApplication;
  let url: string;
  const saved = { backend: process.env.AU_BACKEND, role: process.env.AU_ROLE };

  beforeAll(async () => {
    process.env.AU_BACKEND = 'memory';
    delete process.env.AU_ROLE;
    // Imported after the env is set: AppModule calls AuModule.forRoot when its file is loaded.
    const { AppModule } = await import('../src/app.module');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    setupAu(app);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    for (const [key, value] of [['AU_BACKEND', saved.backend], ['AU_ROLE', saved.role]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('listens on loopback', () => {
    expect(url).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+$/);
  });

  it('POST /tasks/factorial?wait=5 {n: 20} answers 200 with 20!', async () => {
    const res = await request(url).post('/tasks/factorial?wait=5').send({ n: 20 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ task: 'factorial', status: 'completed', result: '2432902008176640000' });
    expect(res.headers.location).toBe(`/tasks/${res.body.id}`);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('/docs-json lists the demo tasks, each as its own POST operation', async () => {
    const res = await request(url).get('/docs-json');
    expect(res.status).toBe(200);
    const submitted = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path, item]) => /^\/tasks\/[a-z0-9-]+$/.test(path) && item.post)
      .map(([path]) => path.slice('/tasks/'.length));
    expect(submitted).toEqual(expect.arrayContaining(['factorial', 'sleep', 'flaky', 'fail', 'noop']));
    expect(res.body.paths['/tasks/{id}'].get).toBeDefined();
  });

  it('GET /docs serves the Swagger UI', async () => {
    const res = await request(url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
