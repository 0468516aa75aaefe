/**
 * Static checks of docker-compose.yml, Dockerfile and .dockerignore: these machines
 * have no Docker engine, so the deployment files are validated by parsing them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { argsOf, commandLine, DockerStage, parseDockerfile } from './harness/dockerfile';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

type Service = Record<string, any>;
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const { redis, api, worker } = compose.services;

/** Compose accepts `environment` as a map or as a list of `K=V`; normalize to a map of strings. */
function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((kv: string) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)])
    : Object.entries(raw);
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** A command or healthcheck test as one string (string form or list form). */
const asLine = (value: unknown): string => (Array.isArray(value) ? value.join(' ') : String(value));

describe('docker-compose.yml', () => {
  it('has exactly the redis, api and worker services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'redis', 'worker']);
  });

  it('redis: redis 7 with AOF on, a ping healthcheck and a named volume on /data', () => {
    expect(redis.image).toBe('redis:7-alpine');
    expect(asLine(redis.command)).toMatch(/--appendonly yes\b/);
    expect(asLine(redis.healthcheck.test)).toMatch(/redis-cli ping/);
    const dataVolume = (redis.volumes as string[]).find((v) => v.endsWith(':/data'));
    expect(dataVolume).toBeDefined();
    const volumeName = (dataVolume as string).split(':')[0];
    expect(volumeName).not.toMatch(/^[./~]/); // a named volume, not a bind mount
    expect(compose.volumes).toHaveProperty(volumeName);
  });

  it('api: role api on port 3000, waits for a healthy redis, checks /health/ready', () => {
    expect(api.build).toBe('.');
    expect(env(api)).toMatchObject({ AU_ROLE: 'api', PORT: '3000', HOST: '0.0.0.0' });
    expect(api.ports).toContain('3000:3000');
    expect(api.depends_on.redis.condition).toBe('service_healthy');
    const check = asLine(api.healthcheck.test);
    expect(check).toMatch(/node -e/);
    expect(check).toContain('fetch(');
    expect(check).toContain(`http://localhost:${env(api).PORT}/health/ready`);
  });

  it('worker: role worker, 2 replicas, same image as api, waits for a healthy redis', () => {
    expect(env(worker)).toMatchObject({ AU_ROLE: 'worker', AU_METRICS_PORT: '9464', HOST: '0.0.0.0' });
    expect(worker.deploy.replicas).toBe(2);
    expect(worker.image ?? worker.build).toBe(api.image ?? api.build);
    expect(worker.depends_on.redis.condition).toBe('service_healthy');
    expect(worker.stop_grace_period).toBe('30s');
    expect(worker.ports).toBeUndefined(); // replicas cannot share a published port
  });

  it('api and worker share the bull backend, the redis URL and the key prefix', () => {
    for (const service of [api, worker]) {
      expect(env(service)).toMatchObject({ AU_BACKEND: 'bull', AU_REDIS_URL: 'redis://redis:6379', AU_PREFIX: 'au' });
    }
  });
});

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const build = stages[0];
  const runtime = stages[stages.length - 1] as DockerStage;
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-bookworm-slim');
  });

  it('builds with npm ci and npm run build in the first stage', () => {
    expect(argsOf(build, 'RUN').join('\n')).toMatch(/npm ci(?! --omit)/);
    expect(argsOf(build, 'RUN').join('\n')).toContain('npm run build');
  });

  it('final stage: production deps only, dist from the build stage, runs as node', () => {
    expect(argsOf(runtime, 'ENV').join('\n')).toMatch(/NODE_ENV[= ]production/);
    expect(argsOf(runtime, 'RUN').join('\n')).toContain('npm ci --omit=dev');
    expect(argsOf(runtime, 'RUN').join('\n')).not.toContain('npm run build');
    expect(argsOf(runtime, 'COPY')).toContainEqual(expect.stringMatching(new RegExp(`^--from=${build.name}\\s+\\S*dist`)));
    expect(argsOf(runtime, 'USER')).toEqual(['node']);
    expect(argsOf(runtime, 'EXPOSE')).toEqual([env(api).PORT]);
  });

  it("CMD runs dist/src/main.js, the same command as package.json's start:prod", () => {
    const cmd = argsOf(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(cmd[0].trim().startsWith('[')).toBe(true); // exec form: node is PID 1 and gets SIGTERM
    expect(commandLine(cmd[0])).toBe('node dist/src/main.js');
    expect(commandLine(cmd[0])).toBe(pkg.scripts['start:prod']);
  });
});

describe('.dockerignore', () => {
  it('keeps local installs, build output, git and results out of the context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'coverage', 'bench/results']));
  });
});

describe('package-lock.json', () => {
  type LockEntry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };

  /** npm's lookup: `<from>/node_modules/<name>`, then each ancestor's node_modules, up to the root. */
  function resolves(from: string, name: string): boolean {
    let dir = from;
    for (;;) {
      if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
      if (!dir) return false;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut === -1 ? '' : dir.slice(0, cut);
    }
  }

  // `npm ci` (CI and the Dockerfile) refuses a lock with a dependency edge but no node. This
  // registry lacks some platform builds (e.g. msgpackr-extract for darwin/win32), so a lock
  // written here can list optional deps it could not resolve: drop those from the entry.
  it('has a node for every dependency it lists, so `npm ci` accepts it', () => {
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })
        .filter((name) => !resolves(path, name))
        .map((name) => `${path || '(root)'} -> ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
