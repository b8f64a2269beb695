import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncClient } from './sync-client';

const servers: Server[] = [];
const held: ServerResponse[] = [];
afterEach(async () => {
  for (const response of held.splice(0)) response.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server whose stream route does what `behave` does with the response, on a free port. */
async function serverThat(behave: (response: ServerResponse) => void): Promise<string> {
  const server = createServer((_request, response) => {
    held.push(response);
    behave(response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const token = `mis1.BIH-T-01.${'a'.repeat(43)}`;

describe("the station's live stream", () => {
  it('gives up a stream whose answer never begins, with a clear error', async () => {
    const url = await serverThat(() => undefined);
    const client = new SyncClient({ serverUrl: url, token, streamSilenceMs: 300 });
    const started = performance.now();
    await expect(client.stream('alerts', () => undefined, new AbortController().signal)).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/silent for 0.3 s/) });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('gives up a stream that falls silent after its RESYNC, and keeps one that sends keep-alives', async () => {
    const url = await serverThat((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: RESYNC\n\n');
    });
    let resyncs = 0;
    const client = new SyncClient({ serverUrl: url, token, streamSilenceMs: 300 });
    await expect(client.stream('alerts', () => resyncs++, new AbortController().signal)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(resyncs).toBe(1);

    const chatty = await serverThat((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const beat = setInterval(() => response.write(': keep-alive\n\n'), 100);
      response.on('close', () => clearInterval(beat));
    });
    const controller = new AbortController();
    const open = new SyncClient({ serverUrl: chatty, token, streamSilenceMs: 300 }).stream('alerts', () => undefined, controller.signal);
    let ended = false;
    void open.finally(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(ended).toBe(false);
    // Closed by the station: no error.
    controller.abort();
    await expect(open).resolves.toBeUndefined();
  });
});
