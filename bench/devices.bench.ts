import { MRZ_FRAMINGS } from '../devices/mrz/framing';
import type { MrzFraming } from '../devices/mrz/framing';
import { SerialMrzReader } from '../devices/mrz/serial-mrz-reader';
import { openPseudoTerminal } from '../devices/serial/pseudo-terminal';
import { frameMrzDocument, syntheticZones } from '../devices/simulators/mrz-serial-simulator';
import type { MrzReading } from '../devices/types';
import { percentile } from './stats';

/**
 * How long a serial MRZ reader's document takes to reach the station: from the moment the
 * frame's bytes are handed to the pseudo-terminal's master side (through the python3 relay,
 * so the figure includes one pipe hop a real reader does not have) to the reader's
 * 'document' event, one document at a time, per framing. Also split at the moment the chunk
 * with the last byte came out of the port (MrzReading.receivedAt): wire and kernel before it,
 * parsing and dispatch after. Prints figures only. BENCH_DEVICE_DOCUMENTS sets the count.
 */

const WARM_UP = 50;

function milliseconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1e6;
}

function summary(samples: readonly number[]): string {
  const figure = (value: number): string => value.toFixed(3);
  return `p50 ${figure(percentile(samples, 50))} ms, p95 ${figure(percentile(samples, 95))} ms, p99 ${figure(percentile(samples, 99))} ms, max ${figure(Math.max(...samples))} ms`;
}

async function benchFraming(framing: MrzFraming, zones: readonly string[][]): Promise<void> {
  const pty = await openPseudoTerminal();
  const reader = new SerialMrzReader(`mrz-${framing}`, framing, { transport: 'serial', path: pty.path, baudRate: 115200, parity: 'none', dataBits: 8, stopBits: 1 });
  let arrived: ((reading: MrzReading, at: bigint) => void) | null = null;
  reader.on('document', (reading) => arrived?.(reading, process.hrtime.bigint()));
  const ready = new Promise<void>((resolve) => reader.on('state', (state) => state.kind === 'ready' && resolve()));
  await reader.open();
  await ready;

  const total: number[] = [];
  const untilReceived: number[] = [];
  const afterReceived: number[] = [];
  for (const [index, lines] of zones.entries()) {
    const frame = frameMrzDocument(framing, lines);
    const delivered = new Promise<{ reading: MrzReading; at: bigint }>((resolve) => (arrived = (reading, at) => resolve({ reading, at })));
    const written = process.hrtime.bigint();
    await pty.write(frame);
    const { reading, at } = await delivered;
    if (reading.text !== lines.join('\n')) throw new Error(`${framing}: document ${index} came out changed`);
    if (index < WARM_UP) continue;
    total.push(milliseconds(at - written));
    untilReceived.push(milliseconds(reading.receivedAt - written));
    afterReceived.push(milliseconds(at - reading.receivedAt));
  }
  await reader.close();
  await pty.close();
  console.log(`devices: ${framing.padEnd(7)} written → document  ${summary(total)}`);
  console.log(`devices: ${framing.padEnd(7)}   written → received ${summary(untilReceived)}`);
  console.log(`devices: ${framing.padEnd(7)}   received → event   ${summary(afterReceived)}`);
}

export async function benchDevices(): Promise<void> {
  const count = Number(process.env.BENCH_DEVICE_DOCUMENTS ?? 500);
  const zones = syntheticZones(WARM_UP + count, 2025);
  console.log(`devices: ${count} documents per framing, one at a time, over a pseudo-terminal (after ${WARM_UP} to warm up)`);
  for (const framing of MRZ_FRAMINGS) await benchFraming(framing, zones);
}
