import { Agent, request } from 'node:http';

const BODY = '{}';

/** A keep-alive HTTP/1.1 client for `POST path` with body `{}`: resolves with the status and the round-trip time (ms). */
export class PostClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(base: string, path: string, sockets: number) {
    this.url = new URL(path, base);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(): Promise<{ status: number; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(BODY);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
