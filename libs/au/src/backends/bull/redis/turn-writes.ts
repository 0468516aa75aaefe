import type { Socket } from 'node:net';

/** The wrapped sockets, each with what holds its writes to the end of the turn. */
const holds = new WeakMap<Socket, () => void>();

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
  if (holds.has(socket)) return;
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  const hold = () => {
    if (corked) return;
    corked = true;
    socket.cork();
    setImmediate(uncork);
  };
  holds.set(socket, hold);
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (inFlight() > 1) hold();
    return write.apply(this, args);
  } as Socket['write'];
}

/**
 * Holds the writes to `socket` (one that `coalesceWritesPerTurn` wraps; any other is left alone) until the end of
 * this turn, whatever is in flight: what is written next in the turn reaches Redis in the same system call, which
 * Redis runs without another client's command in between.
 */
export function holdWritesThisTurn(socket: Socket | undefined): void {
  if (socket) holds.get(socket)?.();
}
