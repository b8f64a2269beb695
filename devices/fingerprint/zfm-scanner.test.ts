import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal } from '../../test/support/pty';
import { encodeGreyscalePng } from '../image/png';
import { readGreyscalePng } from '../image/png-reader.test-support';
import type { FingerprintSimulatorOptions } from '../simulators/fingerprint-simulated-module';
import { DeviceError, type FingerCapture } from '../types';
import { QUALITY_METHOD } from './quality';
import { FAST, ScannerRig } from './scanner-rig.test-support';
import { serialTransport } from './transport';
import { ZfmScanner } from './zfm-scanner';

let rig: ScannerRig<ZfmScanner> | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function start(simulator: Partial<FingerprintSimulatorOptions> = {}): Promise<ScannerRig<ZfmScanner>> {
  rig = await ScannerRig.start(openPseudoTerminal, 'zfm', simulator, (path, openTransport) => new ZfmScanner(path, openTransport, FAST));
  return rig;
}

async function rejection(promise: Promise<unknown>): Promise<DeviceError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeviceError);
  return error as DeviceError;
}

function expectTheSimulatedFinger(capture: FingerCapture, current: ScannerRig<ZfmScanner>): void {
  expect(capture.image).toMatchObject({ width: 256, height: 288, dpi: 500 });
  expect(capture.image.pixels).toEqual(current.simulator.image.pixels);
  expect(capture.template).toEqual({ format: 'zfm-char', data: current.simulator.template });
}

describe('ZFM scanner over a real pseudo-terminal', () => {
  it('captures a finger: image and template as the module sent them, a quality, a valid PNG', async () => {
    const current = await start({ fingerAfterPolls: 3 });
    expect(current.scanner.state()).toEqual({ kind: 'ready' });

    const capture = await current.scanner.capture({ timeoutMs: 5_000 });

    expectTheSimulatedFinger(capture, current);
    expect(capture.template?.data).toHaveLength(512);
    expect(capture.qualityMethod).toBe(QUALITY_METHOD);
    expect(capture.quality).toBeGreaterThanOrEqual(80);
    expect(current.fingers).toEqual([false, true]);
    expect(current.simulator.commands).toEqual(['VfyPwd', 'GenImg', 'GenImg', 'GenImg', 'GenImg', 'UpImage', 'Img2Tz', 'UpChar']);
    expect(current.states.map((state) => (state.kind === 'busy' ? state.activity : state.kind))).toEqual([
      'connecting',
      'ready',
      'waiting for a finger',
      'reading the image',
      'making the template',
      'ready',
    ]);
    const png = readGreyscalePng(encodeGreyscalePng(capture.image));
    expect(png).toMatchObject({ width: 256, height: 288, pixelsPerMetre: 19685 });
    expect(png.pixels).toEqual(capture.image.pixels);
  });

  it('gives up with NO_FINGER when nobody puts a finger on within the timeout, and stays ready', async () => {
    const current = await start({ fingerAfterPolls: Number.POSITIVE_INFINITY });
    const error = await rejection(current.scanner.capture({ timeoutMs: 150 }));
    expect(error.code).toBe('NO_FINGER');
    expect(current.fingers).toEqual([false]);
    expect(current.scanner.state()).toEqual({ kind: 'ready' });
  });

  it('reads through noise and damaged copies between the answers', async () => {
    const current = await start({ garbageBytes: 9, damagedCopies: true });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    const reasons = new Set(current.discarded.map((stretch) => stretch.reason));
    expect(reasons).toEqual(new Set(['no packet start', 'bad checksum']));
  });

  it('asks again for an upload that lost a data packet, once the module is quiet', async () => {
    const current = await start({ damagedUploads: 1 });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    expect(current.simulator.commands.filter((name) => name === 'UpImage')).toHaveLength(2);
    expect(current.discarded.some((stretch) => stretch.reason === 'bad checksum')).toBe(true);
  });

  it('fails with DEVICE_PROTOCOL when the uploads keep arriving damaged', async () => {
    const current = await start({ damagedUploads: 100 });
    const error = await rejection(current.scanner.capture({ timeoutMs: 5_000 }));
    expect(error.code).toBe('DEVICE_PROTOCOL');
    expect(error.message).toMatch(/UpImage keep arriving damaged/);
    expect(current.simulator.commands.filter((name) => name === 'UpImage')).toHaveLength(3);
    expect(current.scanner.state()).toEqual({ kind: 'ready' });
  });

  it('returns the image without a template when the module finds too few features', async () => {
    const current = await start({ poorFinger: true });
    const capture = await current.scanner.capture({ timeoutMs: 5_000 });
    expect(capture.image.pixels).toEqual(current.simulator.image.pixels);
    expect(capture.template).toBeNull();
    expect(current.simulator.commands.at(-1)).toBe('Img2Tz');
  });

  it('takes answers that arrive one byte at a time', async () => {
    const current = await start({ dribble: true });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
  });

  it('fails the capture with DEVICE_CLOSED when the module is unplugged mid-upload, reconnects after the replug, and captures cleanly', async () => {
    const current = await start({ unplugsMidUpload: 1 });
    const error = await rejection(current.scanner.capture({ timeoutMs: 5_000 }));
    expect(error.code).toBe('DEVICE_CLOSED');
    const down = await current.waitForState((state) => state.kind === 'error');
    expect(down).toMatchObject({ kind: 'error', retrying: true });
    expect(await rejection(current.scanner.capture({ timeoutMs: 1_000 }))).toHaveProperty('code', expect.stringMatching(/^DEVICE_(CLOSED|NOT_FOUND)$/));

    const commandsBefore = current.simulator.commands.length;
    const discardedBefore = current.discarded.length;
    await current.pty.replug();
    await current.waitForState((state) => state.kind === 'ready');
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    // Nothing of the cut-off upload reached the new session: no stray bytes, no extra questions.
    expect(current.discarded.slice(discardedBefore)).toEqual([]);
    expect(current.simulator.commands.slice(commandsBefore)).toEqual(['VfyPwd', 'GenImg', 'GenImg', 'GenImg', 'UpImage', 'Img2Tz', 'UpChar']);
  });

  it('refuses a second capture while one is running', async () => {
    const current = await start({ fingerAfterPolls: 20 });
    const first = current.scanner.capture({ timeoutMs: 5_000 });
    expect((await rejection(current.scanner.capture({ timeoutMs: 5_000 }))).code).toBe('DEVICE_BUSY');
    expectTheSimulatedFinger(await first, current);
  });

  it('stops waiting when the capture is aborted, and the next capture is unaffected', async () => {
    const current = await start({ fingerAfterPolls: 5 });
    const abort = new AbortController();
    current.scanner.on('finger', (present) => {
      if (!present) abort.abort(new Error('the officer cancelled'));
    });
    await expect(current.scanner.capture({ timeoutMs: 5_000, signal: abort.signal })).rejects.toThrow('the officer cancelled');
    expect(current.scanner.state()).toEqual({ kind: 'ready' });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
  });

  it('does not wait forever on a line that only chatters noise: DEVICE_TIMEOUT, and the state says the module stopped answering', async () => {
    const current = await start();
    current.simulator.stop();
    const noise = setInterval(() => void current.pty.write(Uint8Array.of(0x00, 0x13, 0xfe, 0x42, 0x99)), 5);
    try {
      expect((await rejection(current.scanner.capture({ timeoutMs: 5_000 }))).code).toBe('DEVICE_TIMEOUT');
      expect(current.scanner.state()).toMatchObject({ kind: 'error', retrying: true, reason: expect.stringMatching(/stopped answering/) });
    } finally {
      clearInterval(noise);
    }
  });

  it('reports a module that does not answer, and keeps trying', async () => {
    const current = await start({ silent: true });
    const state = await current.waitForState((candidate) => candidate.kind === 'error');
    expect(state).toMatchObject({ kind: 'error', retrying: true, reason: expect.stringMatching(/does not answer/) });
    expect((await rejection(current.scanner.capture({ timeoutMs: 1_000 }))).code).toBe('DEVICE_TIMEOUT');
  });
});

describe('ZFM scanner without a usable port', () => {
  const address = { transport: 'serial' as const, path: '/nonexistent/ttyFINGER', baudRate: 57600, parity: 'none' as const, dataBits: 8 as const, stopBits: 1 as const };

  it('reports DEVICE_LIBRARY_MISSING without retrying when serialport cannot be loaded, and does not crash', async () => {
    const scanner = new ZfmScanner(address.path, serialTransport(address, () => Promise.reject(new Error("Cannot find module 'serialport'"))), FAST);
    await scanner.open();
    expect(scanner.state()).toMatchObject({ kind: 'error', retrying: false, reason: expect.stringMatching(/serialport/) });
    expect((await rejection(scanner.capture({ timeoutMs: 100 }))).code).toBe('DEVICE_LIBRARY_MISSING');
    await scanner.close();
    expect(scanner.state()).toEqual({ kind: 'closed' });
  });

  it('reports a missing device as DEVICE_NOT_FOUND and keeps looking for it', async () => {
    const scanner = new ZfmScanner(address.path, serialTransport(address), FAST);
    await scanner.open();
    expect(scanner.state()).toMatchObject({ kind: 'error', retrying: true, reason: expect.stringMatching(/plugged in/) });
    expect((await rejection(scanner.capture({ timeoutMs: 100 }))).code).toBe('DEVICE_NOT_FOUND');
    await scanner.close();
  });
});
