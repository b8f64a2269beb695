// A TCP proxy on 127.0.0.1 that sits between an HTTP client and a real server and injects
// network faults: latency, resets, silent drops, duplicate delivery of requests and outages.
// It works on raw bytes (node:net only) so the client and server under test run their real
// HTTP/1.1 stacks, keep-alive and long-lived event streams included. Every random choice
// comes from a seeded PRNG, so a failing run can be replayed with the same seed.
import net from 'node:net';

export interface FaultPlan {
  /** Added delay per chunk in each direction, ms (a random value in [min,max]). Order is kept. */
  delayMs?: { min: number; max: number };
  /** Probability per new connection that it is reset (RST) after a random number of bytes in [0, resetAfterBytesMax]. */
  resetProbability?: number;
  /** Default 4096. Counted over both directions. */
  resetAfterBytesMax?: number;
  /** Probability per new connection that it silently stops forwarding (packets vanish, the client hangs until it times out) after a random number of bytes in [0, dropAfterBytesMax]. */
  dropProbability?: number;
  /** Default 4096. Counted over both directions. */
  dropAfterBytesMax?: number;
  /**
   * Probability per client->server HTTP/1.1 request that the server also receives it a second time,
   * on a separate upstream connection whose response is discarded. Only Content-Length (or bodiless)
   * requests are framed; a chunked or upgrade request ends duplication on that connection.
   */
  duplicateProbability?: number;
  /** Seed for the PRNG; without one a random seed is used (read it back from `proxy.seed`). */
  seed?: number;
}

export interface FaultStats {
  /** Client connections accepted and proxied (refusals and duplicate connections not included). */
  connections: number;
  /** Connections reset by the plan or by resetAll(). */
  resets: number;
  drops: number;
  duplicates: number;
  /** Connections refused while the network was down. */
  refused: number;
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  readonly port: number;
  /** http://127.0.0.1:port */
  readonly url: string;
  /** The seed in effect, for replaying a failing run. */
  readonly seed: number;
  readonly stats: Readonly<FaultStats>;
  /** Connection faults apply to new connections; delays and duplicates to data from now on. Re-seeds. */
  setPlan(plan: FaultPlan): void;
  /** While true, new connections are accepted and reset at once: "network down". */
  setDown(down: boolean): void;
  /** Reset every open connection now. */
  resetAll(): void;
  /** Send new connections to another port (the server restarted). */
  setTarget(port: number): void;
  /** Stops listening and destroys every socket. Safe to call twice. */
  close(): Promise<void>;
}

/** Bytes queued in one direction before the source socket is paused (back-pressure). */
const HIGH_WATER = 256 * 1024;
const DEFAULT_FAULT_AFTER_BYTES_MAX = 4096;
/** A request head longer than this is not HTTP as we know it: stop framing. */
const MAX_HEAD = 64 * 1024;

/** mulberry32: a tiny seeded PRNG, plenty for picking faults reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Errors are expected here (that is the point); they are handled by the 'close' that follows. */
function ignore(): void {
  // nothing to do
}

/** Abort with a TCP RST, as a real network reset would, rather than a polite FIN. */
function rst(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * Finds request boundaries in the client->server stream so a whole request can be replayed.
 * Only what the duplicate needs: Content-Length bodies; chunked and upgrades end framing.
 */
class RequestFramer {
  private head = Buffer.alloc(0);
  private bodyLeft = 0;
  private method = '';
  private capture: Buffer[] | undefined;
  private lost = false;

  constructor(
    private readonly shouldDuplicate: () => boolean,
    private readonly onDuplicate: (request: Buffer, method: string) => void,
  ) {}

  feed(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0 && !this.lost) {
      if (this.bodyLeft > 0) {
        const part = rest.subarray(0, this.bodyLeft);
        this.capture?.push(part);
        this.bodyLeft -= part.length;
        rest = rest.subarray(part.length);
        if (this.bodyLeft === 0) this.complete();
        continue;
      }
      const buffered = Buffer.concat([this.head, rest]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        this.head = buffered;
        this.lost = buffered.length > MAX_HEAD;
        return;
      }
      this.head = Buffer.alloc(0);
      rest = buffered.subarray(end + 4);
      this.begin(buffered.subarray(0, end + 4));
    }
  }

  private begin(head: Buffer): void {
    const text = head.toString('latin1');
    this.method = text.slice(0, text.indexOf(' '));
    // Past a chunked body or a protocol switch we can no longer tell where requests start.
    if (/^(transfer-encoding|upgrade):/im.test(text) || this.method === 'CONNECT') {
      this.lost = true;
      return;
    }
    this.bodyLeft = Number(/^content-length:\s*(\d+)\s*$/im.exec(text)?.[1] ?? 0);
    this.capture = this.shouldDuplicate() ? [head] : undefined;
    if (this.bodyLeft === 0) this.complete();
  }

  private complete(): void {
    if (this.capture) this.onDuplicate(Buffer.concat(this.capture), this.method);
    this.capture = undefined;
  }
}

/** Where the final response in `buf` ends: an offset, 'close' (delimited by close), or undefined (need more). */
function responseEnd(buf: Buffer, method: string): number | 'close' | undefined {
  let offset = 0;
  for (;;) {
    const headEnd = buf.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return undefined;
    const head = buf.toString('latin1', offset, headEnd);
    const status = Number(head.slice(9, 12));
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart; // 100 Continue and friends: the real response follows
      continue;
    }
    if (method === 'HEAD' || status === 204 || status === 304) return bodyStart;
    if (/^transfer-encoding:.*chunked/im.test(head)) return chunkedEnd(buf, bodyStart);
    const length = /^content-length:\s*(\d+)/im.exec(head)?.[1];
    if (length === undefined) return 'close';
    return buf.length >= bodyStart + Number(length) ? bodyStart + Number(length) : undefined;
  }
}

function chunkedEnd(buf: Buffer, start: number): number | 'close' | undefined {
  let offset = start;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.toString('latin1', offset, lineEnd), 16);
    if (Number.isNaN(size)) return 'close'; // garbage: let the server decide when it is over
    if (size === 0) {
      const end = buf.indexOf('\r\n\r\n', lineEnd); // after optional trailers
      return end < 0 ? undefined : end + 4;
    }
    offset = lineEnd + 2 + size + 2;
    if (offset > buf.length) return undefined;
  }
}

interface Connection {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startFaultProxy(targetPort: number, initialPlan: FaultPlan = {}): Promise<FaultProxy> {
  let target = targetPort;
  let plan: FaultPlan = {};
  let seed = 0;
  // Separate streams, so e.g. how data happens to be chunked (which draws delays) does not
  // shift which connections get faulted.
  let random = { conn: prng(0), request: prng(0), delay: prng(0) };
  let down = false;
  let closing: Promise<void> | undefined;
  const stats: FaultStats = { connections: 0, resets: 0, drops: 0, duplicates: 0, refused: 0, bytesUp: 0, bytesDown: 0 };
  const connections = new Set<Connection>();
  const duplicates = new Set<net.Socket>();

  const setPlan = (next: FaultPlan): void => {
    plan = { ...next };
    seed = next.seed ?? Math.floor(Math.random() * 2 ** 32);
    random = { conn: prng(seed), request: prng(seed ^ 0x5bd1e995), delay: prng(seed ^ 0x27d4eb2f) };
  };
  setPlan(initialPlan);

  const pickFault = (): { kind: 'reset' | 'drop'; after: number } | undefined => {
    const budget = (max = DEFAULT_FAULT_AFTER_BYTES_MAX): number => Math.floor(random.conn() * (max + 1));
    if ((plan.resetProbability ?? 0) > 0 && random.conn() < (plan.resetProbability ?? 0)) {
      return { kind: 'reset', after: budget(plan.resetAfterBytesMax) };
    }
    if ((plan.dropProbability ?? 0) > 0 && random.conn() < (plan.dropProbability ?? 0)) {
      return { kind: 'drop', after: budget(plan.dropAfterBytesMax) };
    }
    return undefined;
  };

  const nextDelay = (): number => {
    const range = plan.delayMs;
    return range ? range.min + random.delay() * (range.max - range.min) : 0;
  };

  const shouldDuplicate = (): boolean => {
    const p = plan.duplicateProbability ?? 0;
    return p > 0 && random.request() < p;
  };

  /** Replays a request on its own upstream connection, reads the response to its end and throws it away. */
  const duplicate = (request: Buffer, method: string): void => {
    stats.duplicates++;
    const socket = net.connect({ host: '127.0.0.1', port: target });
    duplicates.add(socket);
    socket.on('error', ignore);
    socket.on('close', () => duplicates.delete(socket));
    let reply: Buffer | undefined = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (!reply) return;
      reply = Buffer.concat([reply, chunk]);
      const end = responseEnd(reply, method);
      if (end === 'close') reply = undefined; // wait for the server to close it
      else if (end !== undefined) {
        reply = undefined;
        socket.end(); // like a client that is done: the server saw a complete exchange
      }
    });
    socket.write(request);
  };

  const proxy = (client: net.Socket): void => {
    stats.connections++;
    const upstream = net.connect({ host: '127.0.0.1', port: target, allowHalfOpen: true });
    upstream.on('error', ignore);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const connection: Connection = { client, upstream };
    connections.add(connection);
    const fault = pickFault();
    let forwarded = 0;
    let dropped = false;
    const stops: (() => void)[] = [];

    const trip = (): void => {
      if (fault?.kind === 'reset') {
        stats.resets++;
        rst(client);
        rst(upstream);
      } else {
        // A drop: keep both sockets open but let everything vanish, both directions, FINs included.
        stats.drops++;
        dropped = true;
        for (const stop of stops) stop();
      }
    };

    /** One direction: a FIFO with per-chunk due times, so delays never reorder bytes. */
    const pipe = (src: net.Socket, dst: net.Socket, up: boolean): void => {
      const queue: { chunk: Buffer; due: number }[] = [];
      let queued = 0;
      let lastDue = 0;
      let paused = false;
      let draining = false;
      let ended = false;
      let timer: NodeJS.Timeout | undefined;
      const framer = up ? new RequestFramer(shouldDuplicate, duplicate) : undefined;

      /** Writes what the fault budget allows; false once the connection has faulted. */
      const forward = (chunk: Buffer): boolean => {
        if (!dst.writable) return true; // the peer is gone; nothing to deliver to
        const allowed = fault ? Math.max(0, fault.after - forwarded) : Infinity;
        const out = chunk.length > allowed ? chunk.subarray(0, allowed) : chunk;
        if (out.length > 0) {
          dst.write(out);
          forwarded += out.length;
          if (up) stats.bytesUp += out.length;
          else stats.bytesDown += out.length;
        }
        if (out === chunk) return true;
        trip();
        return false;
      };

      const pump = (): void => {
        while (!draining && !dropped && queue.length > 0) {
          const head = queue[0];
          if (!head) break;
          const wait = head.due - Date.now();
          if (wait > 0) {
            timer ??= setTimeout(() => {
              timer = undefined;
              pump();
            }, wait);
            return;
          }
          queue.shift();
          queued -= head.chunk.length;
          if (!forward(head.chunk)) return;
          if (dst.writableNeedDrain) {
            draining = true;
            dst.once('drain', () => {
              draining = false;
              pump();
            });
          }
        }
        if (dropped) return;
        if (ended && queue.length === 0 && !draining && dst.writable) dst.end(); // pass the FIN on, in order
        if (paused && !draining && queued < HIGH_WATER) {
          paused = false;
          src.resume();
        }
      };

      src.on('data', (chunk: Buffer) => {
        if (dropped) return;
        framer?.feed(chunk);
        lastDue = Math.max(lastDue, Date.now() + nextDelay());
        queue.push({ chunk, due: lastDue });
        queued += chunk.length;
        if (queued >= HIGH_WATER && !paused) {
          paused = true;
          src.pause();
        }
        pump();
      });
      src.on('end', () => {
        ended = true;
        pump();
      });
      stops.push(() => {
        clearTimeout(timer);
        queue.length = 0;
        queued = 0;
        if (paused) src.resume(); // a dropped connection keeps swallowing bytes
        paused = false;
      });
    };

    pipe(client, upstream, true);
    pipe(upstream, client, false);

    let open = 2;
    const onClose = (side: net.Socket, other: net.Socket) => (): void => {
      if (--open === 0) {
        for (const stop of stops) stop();
        connections.delete(connection);
      }
      // After a drop only the client's own timeout may end things: a vanished server FIN
      // or reset must not reach it.
      if (dropped) {
        if (side === client) other.destroy();
        return;
      }
      // An orderly close (FIN seen) lets the other direction finish; anything else
      // (reset, error, refused upstream) is passed on as a reset.
      if (!side.readableEnded) rst(other);
    };
    client.on('close', onClose(client, upstream));
    upstream.on('close', onClose(upstream, client));
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    client.on('error', ignore);
    if (down || closing) {
      stats.refused++;
      rst(client);
      return;
    }
    proxy(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', ignore); // e.g. EMFILE on accept: a fault test must not take the process down
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fault proxy: no TCP address');
  const port = address.port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get seed() {
      return seed;
    },
    stats,
    setPlan,
    setDown(value) {
      down = value;
    },
    resetAll() {
      for (const { client, upstream } of connections) {
        stats.resets++;
        rst(client);
        rst(upstream);
      }
    },
    setTarget(value) {
      target = value;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const { client, upstream } of connections) {
          client.destroy();
          upstream.destroy();
        }
        for (const socket of duplicates) socket.destroy();
      });
      return closing;
    },
  };
}
