import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ApiDispatcher } from '../api/dispatcher';
import { wsPath, wsTokenParameter } from '../api/ws-protocol';
import { contentTypeFor, resolveRendererFile } from '../renderer-files';
import { contentSecurityPolicy, securityHeaders } from '../security/content-security-policy';
import { serveApiSession } from './ws-session';

export interface HeadlessShellOptions {
  dispatcher: ApiDispatcher;
  rendererDir: string;
  log: Logger;
  /** 0 picks a free port. */
  port?: number;
  /** A fixed token for tests; by default every launch makes a new random one. */
  token?: string;
}

export interface HeadlessShell {
  port: number;
  token: string;
  /** The address to open, with the launch token in the fragment (never sent to the server). */
  url: string;
  close(): Promise<void>;
}

/** Only loopback: the shell is for this machine's browser, never the network. */
const host = '127.0.0.1';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The headless shell: main's services in plain Node, the built renderer over HTTP and the
 * API contract over a WebSocket, both on 127.0.0.1 only. A page of another origin, or a
 * DNS-rebound name, cannot call the API: the WebSocket needs the per-launch token, the
 * page's own origin, and a loopback Host header.
 */
export async function startHeadlessShell(options: HeadlessShellOptions): Promise<HeadlessShell> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { log, dispatcher } = options;
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `localhost:${port}`]);

  const serveFile = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request: open the address the shell printed.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveRendererFile(options.rendererDir, request.url ?? '/');
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': contentTypeFor(file),
      'content-length': info.size,
      'content-security-policy': contentSecurityPolicy([`ws://${host}:${port}`, `ws://localhost:${port}`]),
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  };

  const server = createServer((request, response) => {
    serveFile(request, response).catch((error: unknown) => {
      log.error({ errorName: (error as Error).name }, 'serving a renderer file failed');
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${host}`);
    const origin = request.headers.origin;
    if (url.pathname !== wsPath) return refuseUpgrade(socket, 404, 'Not Found');
    if (!allowedHosts().has(request.headers.host ?? '')) return refuseUpgrade(socket, 421, 'Misdirected Request');
    if (!sameSecret(url.searchParams.get(wsTokenParameter) ?? '', token)) {
      log.warn('API connection refused: missing or wrong launch token');
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      log.warn('API connection refused: foreign origin');
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveApiSession(ws, dispatcher, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${host}:${port}/#${wsTokenParameter}=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
