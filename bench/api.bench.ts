import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { composeMain } from '../main/compose';
import { silentLogger } from '../main/log';
import { startHeadlessShell } from '../main/web/shell';
import { makeRendererDir } from '../test/support/fixture-renderer';
import { percentile } from './stats';

const config = { stationId: 'BENCH', serverUrl: null, dataDir: '/tmp/mis-bench', probeIntervalMs: 60_000 };

/** The cost of the API contract itself: in-process dispatch, and a round trip over the headless shell's WebSocket. */
export async function benchApi(): Promise<void> {
  const main = composeMain(config, silentLogger);
  const context = main.dispatcher.openSession();
  const calls = 50_000;
  for (let i = 0; i < 2_000; i++) await main.dispatcher.request('app.status', {}, context);
  let started = performance.now();
  for (let i = 0; i < calls; i++) await main.dispatcher.request('app.status', {}, context);
  const dispatchMs = performance.now() - started;
  console.log(`api: dispatcher app.status ${Math.round(calls / (dispatchMs / 1000))} requests/s (validated input and output)`);

  const shell = await startHeadlessShell({ dispatcher: main.dispatcher, rendererDir: makeRendererDir(), log: silentLogger });
  const socket = new WebSocket(`ws://127.0.0.1:${shell.port}/api?token=${shell.token}`);
  await new Promise((resolve) => socket.once('open', resolve));
  const pending = new Map<number, () => void>();
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as { id: number };
    pending.get(reply.id)?.();
    pending.delete(reply.id);
  });
  const roundTrip = (id: number): Promise<void> =>
    new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ type: 'request', id, name: 'app.status', input: {} }));
    });
  const samples: number[] = [];
  for (let id = 0; id < 5_000; id++) {
    started = performance.now();
    await roundTrip(id);
    if (id >= 500) samples.push(performance.now() - started);
  }
  console.log(`api: WebSocket round trip app.status p50 ${percentile(samples, 50).toFixed(3)} ms, p95 ${percentile(samples, 95).toFixed(3)} ms (${samples.length} sequential requests)`);
  socket.close();
  await shell.close();
}
