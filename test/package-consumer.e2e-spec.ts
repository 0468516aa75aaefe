import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateOpenApi } from './fixtures/validate-openapi';
import { runCommand } from './harness/command';
import { freePort } from './harness/free-port';
import { http } from './harness/http-client';
import { NodeProcess } from './harness/node-process';
import { RedisServer } from './harness/redis-server';

/**
 * What a user does with au: `npm pack ./libs/au`, then an app of their own outside this repository that installs the
 * tarball and its peers (nothing else of this repo), compiles with strict TypeScript against the package's
 * declarations (no path alias; `skipLibCheck: false`, so the .d.ts files themselves are checked), starts and serves
 * tasks: first on the in-memory backend without the Bull packages, then on Bull once the optional peers are added.
 */

const ROOT = join(__dirname, '..');
const FIXTURE = join(__dirname, 'fixtures', 'package-consumer');
const OPTIONAL_PEERS = ['bull', '@nestjs/bull', 'ioredis'];
/** The app's own: an HTTP platform, and what compiles it. Everything else it lists is a required peer of au. */
const APP_DEPENDENCIES = ['@nestjs/platform-express'];
const APP_DEV_DEPENDENCIES = ['typescript', '@types/node'];
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

interface PackedFile {
  path: string;
}
interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: PackedFile[];
}
interface LibManifest {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
}

/** The exact version of `name` in the repository's package-lock.json: what every other test runs. */
async function lockedVersions(): Promise<(name: string) => string> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  return (name) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in package-lock.json`);
    return version;
  };
}

/** Which of `names` node resolves from inside the installed package (hoisted or nested alike). */
async function resolvableFromPackage(appDir: string, names: string[]): Promise<string[]> {
  const script = `process.stdout.write(JSON.stringify(${JSON.stringify(names)}.filter((n) => { try { require.resolve(n); return true; } catch { return false; } })))`;
  const { stdout } = await runCommand(process.execPath, ['-e', script], { cwd: join(appDir, 'node_modules', '@au', 'nestjs') });
  return JSON.parse(stdout) as string[];
}

/** Starts the compiled consumer app (`node dist/main.js`) and waits for its listening line. */
async function startApp(appDir: string, env: Record<string, string>): Promise<{ proc: NodeProcess; url: string }> {
  const port = await freePort();
  const proc = NodeProcess.start(join(appDir, 'dist', 'main.js'), [], { PORT: String(port), ...env });
  await proc.waitForLine(/consumer listening on/, 30_000);
  return { proc, url: `http://127.0.0.1:${port}` };
}

/** The same user-facing checks on either backend. */
function servesTasks(backend: 'memory' | 'bull', url: () => string): void {
  it('POST /tasks/add?wait=5 answers 200 with the completed record and its result', async () => {
    const res = await http('POST', `${url()}/tasks/add?wait=5`, { a: 2, b: 40 }, { 'x-request-id': `consumer-${backend}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ task: 'add', status: 'completed', requestId: `consumer-${backend}`, result: { sum: 42, requestId: `consumer-${backend}` } });
    expect(res.headers.get('x-request-id')).toBe(`consumer-${backend}`);
  });

  it('validates the body with the app\'s own class-validator DTO', async () => {
    const res = await http('POST', `${url()}/tasks/add`, { a: 'two', b: 1, c: 3 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['a', 'c']);
  });

  it('TaskService.submit and handle.result() work from the app\'s code', async () => {
    const res = await http('POST', `${url()}/from-code/add`, { a: 5, b: 6 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', result: { sum: 11 } });
    const record = await http('GET', `${url()}/tasks/${res.body.id}`);
    expect(record.body).toMatchObject({ task: 'add', status: 'completed' });
  });

  it('/docs-json documents the task with its input schema, and a validator accepts it', async () => {
    const res = await http('GET', `${url()}/docs-json`);
    expect(res.status).toBe(200);
    expect(res.body.paths['/tasks/add'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/AddDto');
    expect(res.body.components.schemas.AddDto.properties).toMatchObject({ a: { minimum: -1000 }, b: { maximum: 1000 } });
    await expect(validateOpenApi(res.body)).resolves.toBeNull();
  });

  it(`/health/ready answers 200 on the ${backend} backend`, async () => {
    const res = await http('GET', `${url()}/health/ready`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { au: { backend, status: 'up' } } });
  });
}

describe('@au/nestjs installed from its tarball by an app outside the repository', () => {
  let work: string;
  let appDir: string;
  let packed: PackResult;
  let lib: LibManifest;
  let locked: (name: string) => string;

  beforeAll(async () => {
    locked = await lockedVersions();
    lib = JSON.parse(await readFile(join(ROOT, 'libs', 'au', 'package.json'), 'utf8')) as LibManifest;
    work = await mkdtemp(join(tmpdir(), 'au-consumer-'));

    // npm pack runs the package's prepack (its own build into libs/au/dist) and prints the JSON after the build's log.
    const pack = await runCommand('npm', ['pack', './libs/au', '--pack-destination', work, '--json'], { cwd: ROOT });
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as PackResult[])[0];

    appDir = join(work, 'app');
    await cp(FIXTURE, appDir, { recursive: true });
    const required = Object.keys(lib.peerDependencies).filter((name) => !lib.peerDependenciesMeta[name]?.optional);
    const exact = (names: string[]) => Object.fromEntries(names.map((name) => [name, locked(name)]));
    const manifest = {
      name: 'au-consumer',
      private: true,
      version: '1.0.0',
      dependencies: { '@au/nestjs': `file:../${packed.filename}`, ...exact(required), ...exact(APP_DEPENDENCIES) },
      devDependencies: exact(APP_DEV_DEPENDENCIES),
    };
    await writeFile(join(appDir, 'package.json'), JSON.stringify(manifest, null, 2));
    await runCommand('npm', NPM_INSTALL, { cwd: appDir });
    await runCommand(process.execPath, [join(appDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: appDir });
  }, 300_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs compiled JS and declarations, README, LICENSE and CHANGELOG: no TypeScript sources, specs or fixtures', () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(packed.filename).toBe(`au-nestjs-${lib.version}.tgz`);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']));
    const unexpected = paths.filter((p) => !/^dist\/.+\.(js|d\.ts)$/.test(p) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p));
    expect(unexpected).toEqual([]);
    expect(paths.filter((p) => /\.spec\.|(^|\/)(tests?|fixtures?)(\/|$)|\.tsbuildinfo$/i.test(p))).toEqual([]);
  });

  it('claims peer ranges from exactly the versions this repository locks and tests', () => {
    const claimed = Object.fromEntries(Object.keys(lib.peerDependencies).map((name) => [name, `^${locked(name)}`]));
    expect(lib.peerDependencies).toEqual(claimed);
    expect(Object.keys(lib.peerDependenciesMeta).filter((name) => lib.peerDependenciesMeta[name].optional).sort()).toEqual([...OPTIONAL_PEERS].sort());
  });

  describe('memory backend, without the Bull packages', () => {
    let app: { proc: NodeProcess; url: string } | undefined;

    beforeAll(async () => {
      app = await startApp(appDir, {});
    });

    afterAll(async () => {
      await app?.proc.stop();
    });

    it('installed none of bull, @nestjs/bull, ioredis', async () => {
      await expect(resolvableFromPackage(appDir, OPTIONAL_PEERS)).resolves.toEqual([]);
    });

    servesTasks('memory', () => app!.url);

    it("backend 'bull' without those packages fails at startup with an AuConfigError naming them", async () => {
      // A Redis URL where nothing listens: should the packages be found after all, nothing else is reached.
      const nowhere = `redis://127.0.0.1:${await freePort()}`;
      const failing = NodeProcess.start(join(appDir, 'dist', 'main.js'), [], { PORT: String(await freePort()), AU_BACKEND: 'bull', AU_REDIS_URL: nowhere });
      try {
        expect(await failing.waitForExit(30_000)).toBe(1);
      } finally {
        await failing.stop();
      }
      const output = failing.lines.join('\n');
      expect(output).not.toMatch(/consumer listening on/);
      // The error's message: from its name to the first stack frame (file paths below it may well contain "bull").
      const message = /AuConfigError: ([\s\S]*?)(?:\n\s+at |$)/.exec(output)?.[1];
      expect({ message, output }).toEqual({ message: expect.any(String), output }); // shows the output when absent
      expect(message!.split(/[\s,.;:'"`()]+/)).toEqual(expect.arrayContaining(OPTIONAL_PEERS));
    });
  });

  describe('Bull backend, once the optional peers are installed, on a real redis-server', () => {
    let redis: RedisServer | undefined;
    let app: { proc: NodeProcess; url: string } | undefined;

    beforeAll(async () => {
      await runCommand('npm', [...NPM_INSTALL, ...OPTIONAL_PEERS.map((name) => `${name}@${locked(name)}`)], { cwd: appDir });
      redis = await RedisServer.start();
      app = await startApp(appDir, { AU_BACKEND: 'bull', AU_REDIS_URL: redis.url, AU_PREFIX: 'consumer' });
    }, 180_000);

    afterAll(async () => {
      await app?.proc.stop();
      await redis?.destroy();
    });

    servesTasks('bull', () => app!.url);
  });
});
