import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setupAu, type SetupAuOptions } from '@au/nestjs';
import request from 'supertest';
import { TestAppModule } from './fixtures/test-app.module';

/** The document setupAu serves for the test app (memory backend) with these options. */
async function documentOf(options?: SetupAuOptions): Promise<Record<string, any>> {
  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule.register({ backend: 'memory' })] }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  try {
    setupAu(app, options);
    await app.init();
    const res = await request(app.getHttpServer()).get('/docs-json');
    expect(res.status).toBe(200);
    return res.body as Record<string, any>;
  } finally {
    await app.close();
  }
}

/** The schema of the `?wait` 200 answer of a task's submit operation. */
const finishedSchema = (doc: Record<string, any>, task: string) =>
  doc.paths[`/tasks/${task}`].post.responses['200'].content['application/json'].schema;

describe('OpenAPI document written by setupAu', () => {
  let doc: Record<string, any>;

  beforeAll(async () => {
    doc = await documentOf();
  });

  it('without configuration: the serving server, and explicitly no security', () => {
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.security).toEqual([]);
    expect(doc.info).not.toHaveProperty('license');
  });

  it('says what the app configures: license, servers, security schemes and requirements', async () => {
    const configured = await documentOf({
      document: (builder) =>
        builder
          .setLicense('Apache-2.0', 'https://spdx.org/licenses/Apache-2.0.html')
          .addServer('https://tasks.example.com')
          .addBearerAuth()
          .addSecurityRequirements('bearer'),
    });
    expect(configured.info.license).toEqual({ name: 'Apache-2.0', url: 'https://spdx.org/licenses/Apache-2.0.html' });
    expect(configured.servers).toEqual([{ url: 'https://tasks.example.com' }]);
    expect(configured.security).toEqual([{ bearer: [] }]);
    expect(configured.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('types the ?wait result of a task by its declared output, null included when it did not complete', () => {
    const view = { $ref: '#/components/schemas/TaskView' };
    const withResult = (result: unknown) => ({ allOf: [view, { type: 'object', required: ['result'], properties: { result } }] });
    const nullOnly = { type: 'object', nullable: true, enum: [null] };
    expect(finishedSchema(doc, 'factorial')).toEqual(withResult({ type: 'string', nullable: true }));
    expect(finishedSchema(doc, 'noop')).toEqual(withResult(nullOnly));
    expect(finishedSchema(doc, 'sleep')).toEqual(withResult({ anyOf: [{ $ref: '#/components/schemas/SleepResultDto' }, nullOnly] }));
    expect(finishedSchema(doc, 'fanout')).toEqual(withResult({ type: 'array', items: { type: 'string' }, nullable: true }));
    expect(doc.components.schemas.SleepResultDto.properties.slept).toMatchObject({ type: 'integer' });
    // A task without output: any JSON value.
    expect(finishedSchema(doc, 'short-lived')).toEqual({ $ref: '#/components/schemas/TaskWithResultView' });
    expect(doc.components.schemas.TaskWithResultView.properties.result.anyOf).toHaveLength(5);
  });

  it('describes progress as a percentage, error as nullable, and the stats maps as typed and required', () => {
    const task = doc.components.schemas.TaskView;
    expect(task.properties.progress).toMatchObject({ type: 'number', minimum: 0, maximum: 100 });
    expect(task.properties.error.anyOf).toEqual([{ $ref: '#/components/schemas/TaskErrorView' }, { type: 'object', nullable: true, enum: [null] }]);
    expect(task.required).toEqual(expect.arrayContaining(['progress', 'error', 'startedAt', 'finishedAt', 'durationMs', 'requestId', 'parentId']));
    const stats = doc.components.schemas.TaskStatsView;
    expect(stats.required).toEqual(['tasks', 'queues']);
    expect(stats.properties.tasks.additionalProperties).toEqual({ $ref: '#/components/schemas/TaskTotalsView' });
    expect(stats.properties.queues.additionalProperties).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(doc.components.schemas.ErrorView.required).toEqual(['statusCode', 'error', 'message']);
    expect(doc.components.schemas.ErrorView.properties.fields.additionalProperties).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('lists every status each route answers', () => {
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).sort();
    expect(statuses('/tasks/factorial', 'post')).toEqual(['200', '202', '400', '413', '422', '503']);
    expect(statuses('/tasks', 'get')).toEqual(['200', '400', '503']);
    expect(statuses('/tasks/{id}', 'get')).toEqual(['200', '404', '503']);
    expect(statuses('/tasks/{id}', 'delete')).toEqual(['200', '404', '409', '503']);
    expect(statuses('/tasks/{id}/result', 'get')).toEqual(['200', '202', '400', '404', '409', '503']);
    expect(statuses('/health/ready', 'get')).toEqual(['200', '503']);
  });

  it('shows realistic examples: no empty objects for progress or result', () => {
    expect(doc.components.schemas.TaskView.properties.progress.example).toBe(100);
    expect(doc.components.schemas.TaskWithResultView.properties.result.example).toBe('2432902008176640000');
    expect(JSON.stringify(doc)).not.toMatch(/"(progress|result)":\{\}/);
  });
});
