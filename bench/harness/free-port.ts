import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (bind to port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('freePort: no port'));
      server.close((error) => (error ? reject(error) : resolve(address.port)));
    });
  });
}
