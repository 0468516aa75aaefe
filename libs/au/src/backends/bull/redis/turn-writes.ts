import type { Socket } from 'node:net';

const coalesced = new WeakSet<Socket>();

/**
 * Every write to `socket` in one turn of the event loop leaves in one system call: the socket is corked at the turn's
 * first write and uncorked at setImmediate, after the I/O callbacks (and their promise chains) of that turn have run.
 * A command costs far more as a TCP send of its own than as a few bytes more in a shared one. Unlike ioredis' auto-pipelining, each command still gets
 * its own reply as soon as it comes, so nothing is held until a batch ends. (node-redis corks its socket the same way.)
 */
export function coalesceWritesPerTurn(socket: Socket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
