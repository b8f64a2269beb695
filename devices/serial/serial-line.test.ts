import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal, type PseudoTerminal } from '../../test/support/pty';
import { DeviceError } from '../types';
import type { DeviceState } from '../types';
import { DEFAULT_BACKOFF, SerialLine, reconnectDelays } from './serial-line';
import type { SerialAddress } from './serial-line';

const settings = { transport: 'serial', baudRate: 57600, parity: 'even', dataBits: 8, stopBits: 1 } as const;

function statesOf(line: SerialLine): DeviceState[] {
  const states: DeviceState[] = [];
  line.on('state', (state) => states.push(state));
  return states;
}

/** Waits for the line's next state that matches, or throws after timeoutMs. */
function nextState(line: SerialLine, matches: (state: DeviceState) => boolean, timeoutMs = 10_000): Promise<DeviceState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No matching state within ${timeoutMs} ms; last: ${JSON.stringify(line.state())}`)), timeoutMs);
    const onState = (state: DeviceState): void => {
      if (!matches(state)) return;
      clearTimeout(timer);
      line.off('state', onState);
      resolve(state);
    };
    line.on('state', onState);
  });
}

describe('a serial line', () => {
  let pty: PseudoTerminal | undefined;
  let line: SerialLine | undefined;
  const folders: string[] = [];
  afterEach(async () => {
    await line?.close();
    await pty?.close();
    line = undefined;
    pty = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('waits 250 ms before the first reconnect, doubling to 5 s', () => {
    const delays = reconnectDelays(DEFAULT_BACKOFF);
    expect(Array.from({ length: 8 }, () => delays.next().value)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('hands on the bytes of the device with the moment they arrived', async () => {
    pty = await openPseudoTerminal();
    line = new SerialLine({ ...settings, path: pty.path });
    const arrived: Buffer[] = [];
    const stamps: bigint[] = [];
    line.on('bytes', (chunk, receivedAt) => (arrived.push(chunk), stamps.push(receivedAt)));
    await line.open();
    expect(line.state()).toEqual({ kind: 'ready' });
    const before = process.hrtime.bigint();
    await pty.write(Buffer.of(0x02, 0x00, 0xff, 0x03));
    while (Buffer.concat(arrived).length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Buffer.concat(arrived)).toEqual(Buffer.of(0x02, 0x00, 0xff, 0x03));
    expect(stamps.every((stamp) => stamp > before)).toBe(true);
  });

  it('says the serial library is missing, and does not retry, when serialport cannot be loaded', async () => {
    line = new SerialLine(
      { ...settings, path: '/dev/ttyUSB0' },
      { loadLibrary: () => Promise.reject(new DeviceError('DEVICE_LIBRARY_MISSING', 'The serial port library (serialport) could not be loaded: no binding.')) },
    );
    const states = statesOf(line);
    await line.open();
    expect(states).toEqual([
      { kind: 'connecting' },
      { kind: 'error', retrying: false, code: 'DEVICE_LIBRARY_MISSING', reason: 'The serial port library (serialport) could not be loaded: no binding.' },
    ]);
  });

  it('refuses settings serialport refuses, without retrying', async () => {
    line = new SerialLine({ ...settings, path: '/dev/ttyUSB0', baudRate: 'fast' } as unknown as SerialAddress);
    await line.open();
    expect(line.state()).toMatchObject({ kind: 'error', retrying: false, reason: expect.stringContaining('settings for /dev/ttyUSB0 are refused') });
  });

  it('keeps trying a path where no device is yet, and opens it once the device appears', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mis-serial-'));
    folders.push(folder);
    const path = join(folder, 'ttyREADER');
    line = new SerialLine({ ...settings, path }, { backoff: { firstDelayMs: 20, maxDelayMs: 100 } });
    const states = statesOf(line);
    await line.open();
    expect(line.state()).toMatchObject({ kind: 'error', retrying: true, code: 'DEVICE_NOT_FOUND', reason: expect.stringContaining(`No device at ${path}`) });
    await nextState(line, (state) => state.kind === 'connecting');
    pty = await openPseudoTerminal();
    symlinkSync(pty.path, path);
    await nextState(line, (state) => state.kind === 'ready');
    expect(states[0]).toEqual({ kind: 'connecting' });
    expect(states.at(-1)).toEqual({ kind: 'ready' });
  });

  it('notices a device that goes away at any moment, even between two reads of the port', async () => {
    // serialport reads 0 bytes for ever from a line that hung up between two of its reads and
    // says nothing; which case a round meets is down to the scheduler, so several rounds.
    for (let round = 0; round < 8; round++) {
      pty = await openPseudoTerminal();
      line = new SerialLine({ ...settings, path: pty.path });
      await line.open();
      const gone = nextState(line, (state) => state.kind === 'error', 5_000);
      await pty.unplug();
      expect(await gone).toMatchObject({ kind: 'error', retrying: true, code: 'DEVICE_CLOSED' });
      await line.close();
      await pty.close();
    }
  });

  it('stops trying once closed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mis-serial-'));
    folders.push(folder);
    line = new SerialLine({ ...settings, path: join(folder, 'ttyNONE') }, { backoff: { firstDelayMs: 10, maxDelayMs: 10 } });
    await line.open();
    await nextState(line, (state) => state.kind === 'error');
    await line.close();
    const after = statesOf(line);
    // Ten retry periods: a line still trying would have reported connecting and error again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(after).toEqual([]);
    expect(line.state()).toEqual({ kind: 'closed' });
  });
});
