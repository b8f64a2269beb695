import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal } from '../../test/support/pty';
import { encodeGreyscalePng } from '../image/png';
import { readGreyscalePng } from '../image/png-reader.test-support';
import type { FingerprintSimulatorOptions } from '../simulators/fingerprint-simulated-module';
import { DeviceError, type FingerCapture } from '../types';
import { Gt521Scanner, type Gt521ScannerOptions } from './gt521-scanner';
import { FAST, ScannerRig } from './scanner-rig.test-support';

let rig: ScannerRig<Gt521Scanner> | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function start(simulator: Partial<FingerprintSimulatorOptions> = {}, options: Gt521ScannerOptions = {}): Promise<ScannerRig<Gt521Scanner>> {
  rig = await ScannerRig.start(openPseudoTerminal, 'gt521', simulator, (path, openTransport) => new Gt521Scanner(path, openTransport, { ...FAST, ...options }));
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

function expectTheSimulatedFinger(capture: FingerCapture, current: ScannerRig<Gt521Scanner>): void {
  expect(capture.image).toMatchObject({ width: 202, height: 258, dpi: null });
  expect(capture.image.pixels).toEqual(current.simulator.image.pixels);
  expect(capture.template).toEqual({ format: 'gt521-template', data: current.simulator.template });
}

const CAPTURE = ['CmosLed', 'IsPressFinger', 'IsPressFinger', 'IsPressFinger', 'CaptureFinger', 'GetImage', 'MakeTemplate', 'CmosLed'];

describe('GT-521 scanner over a real pseudo-terminal', () => {
  it('captures a finger: LED on, image and template as the module sent them, LED off, a valid PNG', async () => {
    const current = await start();
    expect(current.scanner.state()).toEqual({ kind: 'ready' });

    const capture = await current.scanner.capture({ timeoutMs: 5_000 });

    expectTheSimulatedFinger(capture, current);
    expect(capture.template?.data).toHaveLength(498);
    expect(capture.quality).toBeGreaterThanOrEqual(80);
    expect(current.fingers).toEqual([false, true]);
    expect(current.simulator.commands).toEqual(['Open', 'ChangeBaudrate', ...CAPTURE]);
    const png = readGreyscalePng(encodeGreyscalePng(capture.image));
    expect(png).toMatchObject({ width: 202, height: 258, pixelsPerMetre: null });
    expect(png.pixels).toEqual(capture.image.pixels);
  });

  it("stays at the line speed when told not to switch, and can take the module's raw 160×120 frame", async () => {
    const current = await start({}, { transferBaudRate: null, image: 'raw' });
    const capture = await current.scanner.capture({ timeoutMs: 5_000 });
    expect(capture.image).toMatchObject({ width: 160, height: 120 });
    expect(capture.image.pixels).toHaveLength(160 * 120);
    expect(current.simulator.commands).toEqual(['Open', 'CmosLed', 'IsPressFinger', 'IsPressFinger', 'IsPressFinger', 'CaptureFinger', 'GetRawImage', 'MakeTemplate', 'CmosLed']);
  });

  it('finds a module still at the transfer speed of an earlier session (nothing heard at 9600) and captures there', async () => {
    const current = await start({ baudRateAtStart: 115_200 });
    expect(current.scanner.state()).toEqual({ kind: 'ready' });
    // The Open at 9600 never reached the module; the one at 115200 did, and no switch was needed.
    expect(current.simulator.commands).toEqual(['Open']);
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    expect(current.simulator.commands).toEqual(['Open', ...CAPTURE]);
  });

  it('says which speed to check when the module answers at neither, and keeps trying', async () => {
    const current = await start({ baudRateAtStart: 57_600 });
    const state = await current.waitForState((each) => each.kind === 'error');
    expect(state).toMatchObject({ retrying: true, reason: expect.stringMatching(/does not answer.*baud rate/) });
    expect(current.simulator.commands).toEqual([]);
    expect((await rejection(current.scanner.capture({ timeoutMs: 1_000 }))).code).toBe('DEVICE_TIMEOUT');
  });

  it('gives up with NO_FINGER within the timeout and switches the LED off', async () => {
    const current = await start({ fingerAfterPolls: Number.POSITIVE_INFINITY });
    const error = await rejection(current.scanner.capture({ timeoutMs: 150 }));
    expect(error.code).toBe('NO_FINGER');
    expect(current.simulator.commands.at(-1)).toBe('CmosLed');
    expect(current.scanner.state()).toEqual({ kind: 'ready' });
  });

  it('reads through noise and damaged copies between the answers', async () => {
    const current = await start({ garbageBytes: 9, damagedCopies: true });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    expect(new Set(current.discarded.map((stretch) => stretch.reason))).toEqual(new Set(['no packet start', 'bad checksum']));
  });

  it('asks again for an image whose data packet arrived damaged', async () => {
    const current = await start({ damagedUploads: 1 });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    expect(current.simulator.commands.filter((name) => name === 'GetImage')).toHaveLength(2);
  });

  it('returns the image without a template when the module calls the finger too poor', async () => {
    const current = await start({ poorFinger: true });
    const capture = await current.scanner.capture({ timeoutMs: 5_000 });
    expect(capture.image.pixels).toEqual(current.simulator.image.pixels);
    expect(capture.template).toBeNull();
    expect(current.simulator.commands.slice(-2)).toEqual(['MakeTemplate', 'CmosLed']);
  });

  it('takes answers that arrive one byte at a time', async () => {
    const current = await start({ dribble: true });
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
  });

  it('fails the capture with DEVICE_CLOSED when the module is unplugged mid-upload, reconnects after the replug, and captures cleanly', async () => {
    const current = await start({ unplugsMidUpload: 1 });
    expect((await rejection(current.scanner.capture({ timeoutMs: 5_000 }))).code).toBe('DEVICE_CLOSED');
    expect(await current.waitForState((state) => state.kind === 'error')).toMatchObject({ retrying: true });

    const commandsBefore = current.simulator.commands.length;
    const discardedBefore = current.discarded.length;
    await current.pty.replug();
    await current.waitForState((state) => state.kind === 'ready');
    expectTheSimulatedFinger(await current.scanner.capture({ timeoutMs: 5_000 }), current);
    expect(current.discarded.slice(discardedBefore)).toEqual([]);
    expect(current.simulator.commands.slice(commandsBefore)).toEqual(['Open', 'ChangeBaudrate', ...CAPTURE]);
  });
});
