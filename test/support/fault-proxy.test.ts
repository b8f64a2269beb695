// The fault proxy is only useful if its faults are the only thing it changes: these tests
// drive a real node:http server through it and check both the faults and the faithfulness.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

interface Reply {
  status: number;
  body: Buffer;
}

interface CallOptions {
  method?: string;
  /** A Buffer goes out in one piece; an array is written piece by piece, a tick apart, as separate TCP chunks. */
  body?: Buffer | string[];
  timeoutMs?: number;
  /** Default: no agent, so every call gets a fresh connection (connection faults are per connection). */
  agent?: http.Agent;
}

function call(port: number, path: string, options: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
      // A connection cut mid-body may close the response without an error event.
      res.on('close', () => res.complete || reject(new Error('aborted')));
    });
    req.on('error', reject);
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    void writeBody(req, options.body);
  });
}

async function writeBody(req: http.ClientRequest, body: Buffer | string[] | undefined): Promise<void> {
  if (!Array.isArray(body)) {
    if (body) req.end(body);
    else req.end();
    return;
  }
  for (const piece of body) {
    req.write(piece);
    await tick();
  }
  req.end();
}

/** Opens an event stream and resolves once its first event arrived, leaving it open. */
async function openStream(port: number): Promise<http.IncomingMessage> {
  const req = http.get({ host: '127.0.0.1', port, path: '/events', agent: false });
  req.on('error', () => undefined); // the tests below cut it on purpose
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  res.on('error', () => undefined);
  await once(res, 'data');
  return res;
}

/** events.once would reject on the 'aborted' error a cut stream emits first; here only the close matters. */
function closeOf(stream: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

async function listen(server: http.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

async function shut(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const posts: string[] = [];
const server = http.createServer((req, res) => {
  if (req.url === '/echo') {
    req.pipe(res); // streams both ways at once, so both directions carry the body
  } else if (req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: hi\n\n'); // and never ends, like a sync change stream
  } else if (req.url === '/post') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      posts.push(body);
      res.end(`stored ${body}`);
    });
  } else {
    res.end('hello');
  }
});
let serverPort = 0;
let proxy: FaultProxy;

beforeAll(async () => {
  serverPort = await listen(server);
});
afterAll(() => shut(server));
beforeEach(async () => {
  posts.length = 0;
  proxy = await startFaultProxy(serverPort);
});
afterEach(() => proxy.close());

describe('fault proxy', () => {
  it('passes a 5 MB body through both ways byte-exact', async () => {
    const body = randomBytes(5 * 1024 * 1024);
    const reply = await call(proxy.port, '/echo', { method: 'POST', body });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(body.length);
    expect(reply.body.equals(body)).toBe(true); // not toEqual: a 5 MB diff is no help
    expect(proxy.stats.bytesUp).toBeGreaterThan(body.length);
    expect(proxy.stats.bytesDown).toBeGreaterThan(body.length);
  });

  it('keeps bytes in order when every chunk is delayed by a random amount', async () => {
    proxy.setPlan({ delayMs: { min: 0, max: 4 }, seed: 1 });
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}\n`);
    const reply = await call(proxy.port, '/echo', { method: 'POST', body: lines });
    expect(reply.body.toString()).toBe(lines.join(''));
  });

  it('resets some connections and counts exactly those', async () => {
    // Budgets below the ~190 bytes of one exchange, so every picked connection breaks mid-exchange.
    const run = async (): Promise<string[]> => {
      proxy.setPlan({ resetProbability: 0.5, resetAfterBytesMax: 100, seed: 42 });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(await call(proxy.port, '/hello').then((r) => r.body.toString(), (error: NodeJS.ErrnoException) => `${error.code} ${error.message}`));
      }
      return outcomes;
    };
    const outcomes = await run();
    const failures = outcomes.filter((outcome) => outcome !== 'hello');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(outcomes.length);
    expect(proxy.stats.resets).toBe(failures.length);
    for (const failure of failures) expect(failure).toMatch(/ECONNRESET|socket hang up|aborted/);
    // The same seed replays the same connections failing.
    const failed = (list: string[]): boolean[] => list.map((outcome) => outcome !== 'hello');
    expect(failed(await run())).toEqual(failed(outcomes));
  });

  it('drops a connection so the request hangs until the client gives up', async () => {
    proxy.setPlan({ dropProbability: 1, dropAfterBytesMax: 50, seed: 3 });
    await expect(call(proxy.port, '/hello', { timeoutMs: 300 })).rejects.toThrow('client timeout');
    expect(proxy.stats.drops).toBe(1);
    proxy.setPlan({});
    expect((await call(proxy.port, '/hello')).body.toString()).toBe('hello'); // later connections are fine
  });

  it('delivers a duplicated POST to the server twice while the client sees one response', async () => {
    proxy.setPlan({ duplicateProbability: 1, seed: 5 });
    // A raw socket, so any stray second response on the client's connection would show.
    const socket = net.connect(proxy.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write('POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    await once(socket, 'end');
    const text = Buffer.concat(received).toString('latin1');
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    expect(text.endsWith('stored hello')).toBe(true);
    await vi.waitFor(() => expect(posts).toEqual(['hello', 'hello']));
    expect(proxy.stats.duplicates).toBe(1);
  });

  it('frames keep-alive requests so each one is duplicated whole', async () => {
    proxy.setPlan({ duplicateProbability: 1, seed: 6 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const body of ['a', 'bb', 'ccc']) {
        const reply = await call(proxy.port, '/post', { method: 'POST', body: Buffer.from(body), agent });
        expect(reply.body.toString()).toBe(`stored ${body}`);
      }
    } finally {
      agent.destroy();
    }
    await vi.waitFor(() => expect([...posts].sort()).toEqual(['a', 'a', 'bb', 'bb', 'ccc', 'ccc']));
    expect(proxy.stats).toMatchObject({ connections: 1, duplicates: 3 });
  });

  it('refuses connections while down', async () => {
    proxy.setDown(true);
    await expect(call(proxy.port, '/hello')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(proxy.stats.refused).toBe(1);
    proxy.setDown(false);
    expect((await call(proxy.port, '/hello')).body.toString()).toBe('hello');
  });

  it('follows setTarget, and resets the client when nothing listens there', async () => {
    const other = http.createServer((_req, res) => res.end('other'));
    proxy.setTarget(await listen(other));
    expect((await call(proxy.port, '/hello')).body.toString()).toBe('other');
    await shut(other); // its port is now closed: the upstream connect is refused
    await expect(call(proxy.port, '/hello')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('resetAll cuts open event streams', async () => {
    const stream = await openStream(proxy.port);
    const closed = closeOf(stream);
    proxy.resetAll();
    await closed;
    expect(stream.complete).toBe(false);
    expect(proxy.stats.resets).toBe(1);
  });

  it('close resolves while connections are open, and closes them', async () => {
    const stream = await openStream(proxy.port);
    const closed = closeOf(stream);
    await proxy.close();
    await closed;
    await expect(call(proxy.port, '/hello')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
