import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { makeRendererDir } from '../../test/support/fixture-renderer';
import { exchange, tryConnect } from '../../test/support/ws-client';
import { composeMain } from '../compose';
import { silentLogger } from '../log';
import { startHeadlessShell, type HeadlessShell } from './shell';

const config = { stationId: 'BIH-TEST-01', serverUrl: null, dataDir: '/tmp/mis-shell-test', probeIntervalMs: 1_000 };

describe('the headless shell', () => {
  let shell: HeadlessShell;
  let base: string;

  beforeAll(async () => {
    const main = composeMain(config, silentLogger);
    shell = await startHeadlessShell({ dispatcher: main.dispatcher, rendererDir: makeRendererDir(), log: silentLogger });
    base = `127.0.0.1:${shell.port}`;
  });
  afterAll(() => shell.close());

  it('listens on 127.0.0.1 only', async () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    // Another local address of this machine must not reach it.
    const { networkInterfaces } = await import('node:os');
    const otherAddresses = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    // Nor the IPv6 loopback, which `localhost` may resolve to: only 127.0.0.1 is bound.
    for (const address of [...otherAddresses, '[::1]']) {
      await expect(fetch(`http://${address}:${shell.port}/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const response = await fetch(`http://${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('MIS Station');
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const response = await fetch(`http://${base}${path}`);
      expect(await response.text()).not.toContain('root:');
    }
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve) => {
      request({ host: '127.0.0.1', port: shell.port, path: '/../../../../etc/passwd' }, (response) => resolve(response.statusCode)).end();
    });
    expect(status).toBe(404);
  });

  it('refuses a page requested under a foreign host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve) => {
      request({ host: '127.0.0.1', port: shell.port, path: '/', headers: { host: `evil.example:${shell.port}` } }, (response) => resolve(response.statusCode)).end();
    });
    expect(status).toBe(421);
  });

  it('refuses a WebSocket connection without the launch token', async () => {
    await expect(tryConnect(`ws://${base}/api`)).resolves.toEqual({ opened: false, status: 401 });
  });

  it('refuses a WebSocket connection with a wrong token', async () => {
    await expect(tryConnect(`ws://${base}/api?token=${'x'.repeat(shell.token.length)}`)).resolves.toEqual({ opened: false, status: 401 });
  });

  it('refuses a WebSocket connection from a page of another origin, even with the token', async () => {
    await expect(tryConnect(`ws://${base}/api?token=${shell.token}`, { origin: 'http://evil.example' })).resolves.toEqual({ opened: false, status: 403 });
  });

  it('refuses a WebSocket connection under a foreign host name, even with the token and a matching origin (DNS rebinding)', async () => {
    const rebound = `evil.example:${shell.port}`;
    await expect(tryConnect(`ws://${base}/api?token=${shell.token}`, { host: rebound, origin: `http://${rebound}` })).resolves.toEqual({ opened: false, status: 421 });
  });

  describe('with the launch token', () => {
    let socket: WebSocket;
    beforeAll(async () => {
      const outcome = await tryConnect(`ws://${base}/api?token=${shell.token}`, { origin: `http://${base}` });
      expect(outcome.opened).toBe(true);
      socket = outcome.socket!;
    });
    afterAll(() => socket.close());

    it('answers a request of the contract', async () => {
      const reply = await exchange(socket, { type: 'request', id: 1, name: 'app.status', input: {} }, (r) => r.id === 1);
      expect(reply).toMatchObject({ type: 'response', id: 1, result: { ok: true, value: { stationId: 'BIH-TEST-01' } } });
    });

    it('streams a subscription', async () => {
      const reply = await exchange(socket, { type: 'subscribe', id: 2, name: 'app.statusChanges', input: {} }, (r) => r.id === 2);
      expect(reply).toMatchObject({ type: 'event', id: 2, event: { stationId: 'BIH-TEST-01' } });
    });

    it('answers a malformed message with a protocol error and stays open', async () => {
      const reply = await exchange(socket, 'not json at all', (r) => r.type === 'protocol-error');
      expect(reply).toMatchObject({ error: { code: 'INVALID_INPUT' } });
      const after = await exchange(socket, { type: 'request', id: 3, name: 'app.status', input: {} }, (r) => r.id === 3);
      expect(after).toMatchObject({ result: { ok: true } });
    });

    it('returns a typed error for invalid input', async () => {
      const reply = await exchange(socket, { type: 'request', id: 4, name: 'app.status', input: { stationId: 'forged' } }, (r) => r.id === 4);
      expect(reply).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    });
  });
});
