import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/free-port';
import { NodeProcess } from '../harness/node-process';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** The reference app as `npm run start:prod` runs it (`node dist/src/main.js`), on the in-memory backend. */
export class ReferenceApp {
  private constructor(
    private readonly process: NodeProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<ReferenceApp> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
    const port = await freePort();
    const proc = NodeProcess.start(MAIN, [], { AU_BACKEND: 'memory', PORT: String(port), HOST: '127.0.0.1' });
    const app = new ReferenceApp(proc, `http://127.0.0.1:${port}`);
    try {
      await proc.waitForLine(/listening on/, 20_000);
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  /** Its OpenAPI document, as `/docs-json` serves it. */
  async document(): Promise<Record<string, any>> {
    const response = await fetch(`${this.url}/docs-json`);
    if (response.status !== 200) throw new Error(`/docs-json answered ${response.status}`);
    return (await response.json()) as Record<string, any>;
  }

  async stop(): Promise<void> {
    await this.process.stop('SIGTERM', 10_000);
  }
}
