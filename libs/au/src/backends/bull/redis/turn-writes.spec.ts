import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { coalesceWritesPerTurn, holdWritesThisTurn } from './turn-writes';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWritesPerTurn', () => {
  let server: Server;
  let received: string;
  let client: Socket;

  beforeEach(async () => {
    received = '';
    server = createServer((peer) => peer.on('data', (chunk) => (received += chunk.toString())));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    client = new Socket();
    client.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
  });

  /** The socket is corked now, and uncorked once the turn is over. */
  const heldUntilTheTurnEnds = async () => {
    expect(client.writableCorked).toBe(1);
    await nextTurn();
    expect(client.writableCorked).toBe(0);
  };

  /** The peer receives `text`, all that was written, in order. */
  const arrive = async (text: string) => {
    while (received.length < text.length) await nextTurn();
    expect(received).toBe(text);
  };

  afterEach(async () => {
    client.destroy();
    server.close();
    await once(server, 'close');
  });

  it('while commands are in flight, more than one, holds the writes of a turn and sends them together, in order, once the turn is over', async () => {
    const writev = jest.spyOn(client as unknown as { _writev: (...args: unknown[]) => void }, '_writev');
    coalesceWritesPerTurn(client, () => 2);
    client.write('a');
    client.write('b');
    await Promise.resolve();
    client.write('c'); // a promise continuation of the same turn
    await heldUntilTheTurnEnds();
    expect(writev).toHaveBeenCalledTimes(1);
    expect((writev.mock.calls[0][0] as unknown[]).length).toBe(3);
    await arrive('abc');
  });

  it('sends a write at once with one command in flight or none, and holds the rest of the turn once more are', async () => {
    let inFlight = 1;
    coalesceWritesPerTurn(client, () => inFlight);
    client.write('1');
    expect(client.writableCorked).toBe(0);
    inFlight = 2;
    client.write('2');
    client.write('3');
    await heldUntilTheTurnEnds();
    inFlight = 0;
    client.write('4');
    expect(client.writableCorked).toBe(0);
    await arrive('1234');
  });

  it('holds the rest of a turn when told to, whatever is in flight, and leaves a socket it does not wrap alone', async () => {
    coalesceWritesPerTurn(client, () => 0);
    client.write('1');
    expect(client.writableCorked).toBe(0);
    holdWritesThisTurn(client);
    client.write('2');
    client.write('3');
    await heldUntilTheTurnEnds();
    client.write('4');
    expect(client.writableCorked).toBe(0);
    const other = new Socket();
    holdWritesThisTurn(other);
    holdWritesThisTurn(undefined);
    expect(other.writableCorked).toBe(0);
    await arrive('1234');
  });

  it('corks each busy turn afresh, and wrapping a socket twice changes nothing', async () => {
    coalesceWritesPerTurn(client, () => 2);
    coalesceWritesPerTurn(client, () => 2);
    client.write('1');
    await heldUntilTheTurnEnds();
    client.write('2');
    await heldUntilTheTurnEnds();
    await arrive('12');
  });
});
