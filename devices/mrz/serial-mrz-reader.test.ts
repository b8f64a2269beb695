import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal, type PseudoTerminal } from '../../test/support/pty';
import { frameMrzDocument, jsonFrame, sohBccFrame, stxEtxFrame, syntheticZones } from '../simulators/mrz-serial-simulator';
import type { DeviceState, DiscardedBytes, MrzReading } from '../types';
import type { MrzFraming } from './framing';
import { SerialMrzReader } from './serial-mrz-reader';

/**
 * The serial MRZ reader driver over real kernel pseudo-terminals with the real serialport
 * binding: the test plays the reader on the master side, byte for byte as docs/devices.md
 * describes each framing.
 */

const zones = syntheticZones(6, 2025);
const STARTS: Record<MrzFraming, number> = { 'stx-etx': 0x02, 'soh-bcc': 0x01, json: 0x02 };

/** A frame far over the 1 KB maximum, in the framing's own shape. */
function oversizeFrame(framing: MrzFraming): Buffer {
  const long = ['P'.repeat(1500)];
  if (framing === 'stx-etx') return stxEtxFrame(long);
  if (framing === 'soh-bcc') return sohBccFrame(long, { lengthByte: false });
  return jsonFrame(long);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Watched {
  reader: SerialMrzReader;
  states: DeviceState[];
  documents: MrzReading[];
  discarded: DiscardedBytes[];
  /** Waits until `condition` holds (checked on every event), or throws with what was seen. */
  until(condition: () => boolean, what: string): Promise<void>;
}

function watch(reader: SerialMrzReader): Watched {
  const watched: Watched = { reader, states: [], documents: [], discarded: [], until };
  const wakers = new Set<() => void>();
  const wake = (): void => wakers.forEach((waker) => waker());
  reader.on('state', (state) => (watched.states.push(state), wake()));
  reader.on('document', (reading) => (watched.documents.push(reading), wake()));
  reader.on('discarded', (discarded) => (watched.discarded.push(discarded), wake()));
  function until(condition: () => boolean, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        wakers.delete(check);
        reject(new Error(`Never saw ${what}; states ${JSON.stringify(watched.states)}, documents ${watched.documents.length}, discarded ${JSON.stringify(watched.discarded)}`));
      }, 10_000);
      function check(): void {
        if (!condition()) return;
        clearTimeout(timer);
        wakers.delete(check);
        resolve();
      }
      wakers.add(check);
    });
  }
  return watched;
}

const total = (discarded: readonly DiscardedBytes[], reason: string): number => discarded.filter((d) => d.reason === reason).reduce((sum, d) => sum + d.count, 0);

describe.each([
  ['mrz-stx-etx', 'stx-etx'],
  ['mrz-soh-bcc', 'soh-bcc'],
  ['mrz-json', 'json'],
] as const)('the %s reader on a pseudo-terminal', (protocol, framing) => {
  let pty: PseudoTerminal | undefined;
  let reader: SerialMrzReader | undefined;
  afterEach(async () => {
    await reader?.close();
    await pty?.close();
    reader = undefined;
    pty = undefined;
  });

  async function openReader(): Promise<Watched> {
    pty = await openPseudoTerminal();
    reader = new SerialMrzReader(protocol, framing, { transport: 'serial', path: pty.path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    const watched = watch(reader);
    await reader.open();
    await watched.until(() => reader?.state().kind === 'ready', 'the reader ready');
    return watched;
  }

  it('delivers whole documents, stamped with when their last byte arrived', async () => {
    const watched = await openReader();
    const before = process.hrtime.bigint();
    await pty!.write(Buffer.concat(zones.slice(0, 3).map((lines) => frameMrzDocument(framing, lines))));
    await watched.until(() => watched.documents.length === 3, 'three documents');
    const after = process.hrtime.bigint();
    expect(watched.documents.map((reading) => reading.text)).toEqual(zones.slice(0, 3).map((lines) => lines.join('\n')));
    for (const reading of watched.documents) {
      expect(reading.framing).toBe(framing);
      expect(reading.receivedAt).toBeGreaterThan(before);
      expect(reading.receivedAt).toBeLessThanOrEqual(after);
    }
    expect(watched.discarded).toEqual([]);
    expect(watched.states.map((state) => state.kind)).toEqual(['connecting', 'ready']);
  });

  it('delivers a document split at every byte boundary (two writes with a pause between)', async () => {
    const watched = await openReader();
    const frame = frameMrzDocument(framing, zones[3]!);
    for (let split = 1; split < frame.length; split++) {
      await pty!.write(frame.subarray(0, split));
      await pause(3);
      await pty!.write(frame.subarray(split));
      await watched.until(() => watched.documents.length === split, `the document split at byte ${split}`);
    }
    expect(new Set(watched.documents.map((reading) => reading.text))).toEqual(new Set([zones[3]!.join('\n')]));
    expect(watched.discarded).toEqual([]);
  });

  it('reports garbage between frames and delivers the frames whole', async () => {
    const watched = await openReader();
    const garbage = [Buffer.from('\r\n\xff\x7fNOISE', 'latin1'), Buffer.from('\x00\x03\x04AT+OK\r', 'latin1')];
    for (const bytes of garbage) expect(bytes.includes(STARTS[framing])).toBe(false);
    await pty!.write(Buffer.concat([garbage[0]!, frameMrzDocument(framing, zones[0]!), garbage[1]!, frameMrzDocument(framing, zones[1]!)]));
    await watched.until(() => watched.documents.length === 2, 'two documents');
    expect(watched.documents.map((reading) => reading.text)).toEqual([zones[0]!.join('\n'), zones[1]!.join('\n')]);
    // stx-etx skips its wrapper byte EOT (0x04) in silence.
    const wrapperBytes = framing === 'stx-etx' ? 1 : 0;
    await watched.until(() => total(watched.discarded, 'no frame start') === garbage[0]!.length + garbage[1]!.length - wrapperBytes, 'every garbage byte reported');
    expect(watched.discarded.every((d) => d.reason === 'no frame start')).toBe(true);
  });

  it('drops an oversize frame, then reads the next one', async () => {
    const watched = await openReader();
    const oversize = oversizeFrame(framing);
    await pty!.write(Buffer.concat([oversize, frameMrzDocument(framing, zones[2]!)]));
    await watched.until(() => watched.documents.length === 1, 'the document after the oversize frame');
    expect(watched.documents[0]!.text).toBe(zones[2]!.join('\n'));
    expect(total(watched.discarded, 'oversize frame')).toBe(oversize.length);
  });

  it('survives an unplug mid-message: the half message is dropped, the reader reconnects, the next document is whole', async () => {
    const watched = await openReader();
    const interrupted = frameMrzDocument(framing, zones[4]!);
    const half = Math.floor(interrupted.length / 2);
    // A garbage byte first: its report shows the chunk with the half message has arrived.
    await pty!.write(Buffer.concat([Buffer.from('#'), interrupted.subarray(0, half)]));
    await watched.until(() => total(watched.discarded, 'no frame start') === 1, 'the byte before the half message');
    await pause(20);
    await pty!.unplug();
    await watched.until(() => watched.states.at(-1)?.kind === 'error', 'the reader in error after the unplug');
    expect(watched.states.at(-1)).toMatchObject({ kind: 'error', retrying: true, code: 'DEVICE_CLOSED' });
    expect(watched.discarded).toContainEqual({ count: half, reason: 'device closed mid-message' });

    await pty!.replug();
    await watched.until(() => watched.states.at(-1)?.kind === 'ready', 'the reader ready again');
    // The rest of the interrupted frame, then a whole one: stale data would join the halves into a document.
    await pty!.write(Buffer.concat([interrupted.subarray(half), frameMrzDocument(framing, zones[5]!)]));
    await watched.until(() => watched.documents.length >= 1, 'the document after the replug');
    expect(watched.documents.map((reading) => reading.text)).toEqual([zones[5]!.join('\n')]);

    const kinds = watched.states.map((state) => state.kind);
    expect(kinds.slice(0, 4)).toEqual(['connecting', 'ready', 'error', 'connecting']);
    expect(kinds.slice(-2)).toEqual(['connecting', 'ready']);
    // Between the two, only failed attempts (the path is gone until the replug), each retried.
    for (const state of watched.states.slice(3, -2)) {
      if (state.kind === 'error') expect(state).toMatchObject({ retrying: true, code: 'DEVICE_NOT_FOUND' });
      else expect(state.kind).toBe('connecting');
    }
  });
});
