import { createServer } from 'node:net';

/**
 * Finds a TCP port that is free on 127.0.0.1 right now: binds a server to
 * port 0, reads the port the kernel chose, and closes the server again.
 * (Another process may still grab it before the caller binds; good enough for tests.)
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: could not read the bound port'));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}
