import type { Socket } from 'node:net';

const coalesced = new WeakSet<Socket>();

/**
 * Writes to `socket` wait for each other only while Redis is busy, much as Nagle's algorithm holds TCP segments while
 * earlier ones are unacknowledged: with more than one command of the connection awaiting its reply (`inFlight()`), a
 * write corks the socket until the end of the turn of the event loop (setImmediate, after the I/O callbacks and their
 * promise chains of that turn), and every write of that turn leaves in the same system call. With one or none, the
 * write leaves at once and Redis works on it while the turn goes on: one caller at a time would otherwise wait for
 * the turn to end (whose single reply awaited has often arrived already, unread). Under load a command costs far
 * more as a TCP send of its own than as a few bytes more in a shared one. Unlike ioredis' auto-pipelining, each
 * command still gets its own reply as soon as it comes, so nothing is held until a batch ends. (node-redis corks its
 * socket the same way.)
 */
export function coalesceWritesPerTurn(socket: Socket, inFlight: () => number): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked && inFlight() > 1) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
