import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { NodeProcess } from './node-process';
import { npmToolScript } from './npm-tool';

/** One violation Prism found, as it lists them in the `sl-violations` header. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

/**
 * Prism (`@stoplight/prism-cli`) as a validation proxy in front of an app on 127.0.0.1: `prism proxy --errors` with
 * the app's own OpenAPI document. Every response is checked against the document; a response that does not match
 * comes back as Prism's 500 with the violations in its `sl-violations` header. Request validation is off, so that
 * the session can send the app the invalid requests it must answer with 400.
 */
export class PrismProxy {
  private constructor(
    private readonly process: NodeProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(document: unknown, upstream: string): Promise<PrismProxy> {
    const script = npmToolScript('@stoplight/prism-cli', 'prism');
    const dir = await mkdtemp(join(tmpdir(), 'au-prism-'));
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const port = await freePort();
    const args = ['proxy', file, upstream, '--host', '127.0.0.1', '--port', String(port), '--errors', '--validate-request=false'];
    const proc = NodeProcess.start(script, args, {});
    const proxy = new PrismProxy(proc, dir, `http://127.0.0.1:${port}`);
    try {
      await proc.waitForLine(/Prism is listening on/, 30_000);
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  /** Prism's log lines so far (one per request, with the violations it found). */
  get lines(): string[] {
    return this.process.lines;
  }

  async stop(): Promise<void> {
    await this.process.stop('SIGTERM', 5000);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The violations of one answer through Prism: its `sl-violations` header, parsed; none when absent. */
export function violationsOf(headers: Headers): PrismViolation[] {
  const header = headers.get('sl-violations');
  return header ? (JSON.parse(header) as PrismViolation[]) : [];
}
