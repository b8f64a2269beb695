import { afterEach, describe, expect, it } from 'vitest';
import specimens from '../../domain/mrz/fixtures/specimens.json';
import { hidPosReportsForLines } from '../simulators/hid-pos-simulator';
import { SimulatedHidBus } from '../simulators/hid-simulated-bus';
import type { DeviceState, DiscardedBytes, MrzReading } from '../types';
import { DeviceError } from '../types';
import type { HidMrzReaderOptions } from './hid-mrz-reader';
import { HidMrzReader } from './hid-mrz-reader';
import { hidPosReaderFactory } from './index';

const TD3 = specimens.specimens[0]?.lines ?? [];
const TD1 = specimens.specimens[2]?.lines ?? [];
const VENDOR = 0x0c2e;
const PRODUCT = 0x0b61;
const KEYBOARD = { vendorId: VENDOR, productId: PRODUCT, path: '/dev/hidraw1', usagePage: 0x01, usage: 0x06 };
const HID_POS = { vendorId: VENDOR, productId: PRODUCT, path: '/dev/hidraw2', usagePage: 0x8c, usage: 0x02 };

type Event = { type: 'state'; state: DeviceState } | { type: 'document'; reading: MrzReading } | { type: 'discarded'; discarded: DiscardedBytes };

/** Everything a reader reports, in order, and a way to wait for the n-th event of a kind. */
function record(reader: HidMrzReader) {
  const events: Event[] = [];
  let changed: () => void = () => undefined;
  const push = (event: Event) => {
    events.push(event);
    changed();
  };
  reader.on('state', (state) => push({ type: 'state', state }));
  reader.on('document', (reading) => push({ type: 'document', reading }));
  reader.on('discarded', (discarded) => push({ type: 'discarded', discarded }));
  return {
    events,
    states: () => events.flatMap((event) => (event.type === 'state' ? [event.state] : [])),
    documents: () => events.flatMap((event) => (event.type === 'document' ? [event.reading.text] : [])),
    async until(predicate: (event: Event) => boolean, occurrence = 1): Promise<void> {
      while (events.filter(predicate).length < occurrence) await new Promise<void>((resolve) => (changed = resolve));
    },
  };
}

/** The reconnection waits, held until the test lets each one pass: the backoff runs without a clock. */
function manualWaits() {
  const requested: number[] = [];
  const pending: { ms: number; pass: () => void }[] = [];
  let arrived: () => void = () => undefined;
  return {
    requested,
    wait(ms: number, signal: AbortSignal): Promise<void> {
      requested.push(ms);
      return new Promise<void>((resolve) => {
        pending.push({ ms, pass: resolve });
        signal.addEventListener('abort', () => resolve(), { once: true });
        arrived();
      });
    },
    async next(): Promise<{ ms: number; pass: () => void }> {
      while (pending.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
      const wait = pending.shift();
      if (wait === undefined) throw new Error('no wait');
      return wait;
    },
  };
}

const isState = (kind: DeviceState['kind']) => (event: Event) => event.type === 'state' && event.state.kind === kind;
const isDocument = (event: Event) => event.type === 'document';

const opened: HidMrzReader[] = [];

function reader(bus: SimulatedHidBus, options: Partial<HidMrzReaderOptions> = {}) {
  const waits = manualWaits();
  const created = new HidMrzReader({
    vendorId: VENDOR,
    productId: PRODUCT,
    loadAccess: async () => bus,
    readTimeoutMs: 20,
    wait: waits.wait,
    ...options,
  });
  opened.push(created);
  return { reader: created, waits, events: record(created) };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((created) => created.close()));
});

describe('HID MRZ reader', () => {
  it('opens the HID POS interface of the scanner and delivers each document once', async () => {
    const bus = new SimulatedHidBus();
    bus.plug(KEYBOARD);
    const device = bus.plug(HID_POS);
    const { reader: hid, events } = reader(bus);

    await hid.open();
    expect(hid.state()).toEqual({ kind: 'ready' });
    expect(device.opens).toBe(1);

    const before = process.hrtime.bigint();
    device.send(...hidPosReportsForLines(TD3), ...hidPosReportsForLines(TD1, { bytesPerReport: 20 }));
    await events.until(isDocument, 2);
    const after = process.hrtime.bigint();

    expect(events.documents()).toEqual([TD3.join('\n'), TD1.join('\n')]);
    const readings = events.events.flatMap((event) => (event.type === 'document' ? [event.reading] : []));
    for (const reading of readings) {
      expect(reading.framing).toBe('hid-pos');
      expect(reading.receivedAt >= before && reading.receivedAt <= after).toBe(true);
    }
    expect(events.states()).toEqual([{ kind: 'connecting' }, { kind: 'ready' }]);
  });

  it('opens the device at the configured path when several match', async () => {
    const bus = new SimulatedHidBus();
    const keyboard = bus.plug(KEYBOARD);
    const pos = bus.plug(HID_POS);
    const { reader: hid } = reader(bus, { path: KEYBOARD.path });
    await hid.open();
    expect([keyboard.opens, pos.opens]).toEqual([1, 0]);
  });

  it('after an unplug mid-message: drops the half message, retries with backoff, reconnects and delivers the next document whole', async () => {
    const bus = new SimulatedHidBus();
    let device = bus.plug(HID_POS);
    const { reader: hid, waits, events } = reader(bus);
    await hid.open();

    const [firstHalf] = hidPosReportsForLines(TD3);
    device.send(firstHalf ?? new Uint8Array());
    await device.whenIdle();
    bus.unplug(HID_POS.path);
    await events.until(isState('error'));

    const first = await waits.next();
    expect(first.ms).toBe(250);
    first.pass();
    const second = await waits.next();
    expect(second.ms).toBe(500);
    device = bus.plug(HID_POS);
    second.pass();
    await events.until(isState('ready'), 2);

    device.send(...hidPosReportsForLines(TD1));
    await events.until(isDocument);

    expect(events.documents()).toEqual([TD1.join('\n')]);
    expect(events.events.filter((event) => event.type === 'discarded')).toEqual([
      { type: 'discarded', discarded: { count: 56, reason: 'device unplugged mid-message' } },
    ]);
    expect(events.states()).toEqual([
      { kind: 'connecting' },
      { kind: 'ready' },
      { kind: 'error', reason: expect.stringMatching(/stopped answering/), retrying: true, code: 'DEVICE_CLOSED' },
      { kind: 'connecting' },
      { kind: 'ready' },
    ]);
    expect(waits.requested).toEqual([250, 500]);
  });

  it('doubles the wait up to 5 s while the reader stays away, and starts again at 250 ms after a reconnect', async () => {
    const bus = new SimulatedHidBus();
    const { reader: hid, waits, events } = reader(bus);
    await hid.open();
    expect(hid.state()).toMatchObject({ kind: 'error', code: 'DEVICE_NOT_FOUND', retrying: true });
    for (let i = 0; i < 6; i++) (await waits.next()).pass();
    const seventh = await waits.next();
    bus.plug(HID_POS);
    seventh.pass();
    await events.until(isState('ready'));
    bus.unplug(HID_POS.path);
    await waits.next();
    expect(waits.requested).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 250]);
    expect(events.states()).toEqual([
      { kind: 'connecting' },
      { kind: 'error', reason: 'The HID reader 0x0c2e:0x0b61 is not plugged in; waiting for it.', retrying: true, code: 'DEVICE_NOT_FOUND' },
      { kind: 'connecting' },
      { kind: 'ready' },
      { kind: 'error', reason: expect.stringMatching(/stopped answering/), retrying: true, code: 'DEVICE_CLOSED' },
    ]);
  });

  it('says what IT must do when the HID library cannot load, and does not retry', async () => {
    const bus = new SimulatedHidBus();
    const { reader: hid, waits } = reader(bus, {
      loadAccess: () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory')),
    });
    await hid.open();
    const state = hid.state();
    expect(state).toEqual({ kind: 'error', reason: expect.stringContaining('install libusb-1.0'), retrying: false, code: 'DEVICE_LIBRARY_MISSING' });
    expect(state.kind === 'error' && state.reason).toMatch(/\/dev\/hidraw\*/);
    expect(waits.requested).toEqual([]);
  });

  it('reports a permission problem in words IT can act on, and opens once access is given', async () => {
    const bus = new SimulatedHidBus();
    const device = bus.plug(HID_POS);
    device.refuseOpen = new Error(
      "cannot open device with path /dev/hidraw2: Failed to open a device with path '/dev/hidraw2': Permission denied",
    );
    const { reader: hid, waits, events } = reader(bus);
    await hid.open();
    expect(hid.state()).toEqual({ kind: 'error', reason: expect.stringContaining('udev rule'), retrying: true, code: 'DEVICE_PERMISSION' });
    device.refuseOpen = null;
    (await waits.next()).pass();
    await events.until(isState('ready'));
    expect(hid.state()).toEqual({ kind: 'ready' });
  });

  it('drops a message whose last report never comes while the reader is quiet', async () => {
    const bus = new SimulatedHidBus();
    const device = bus.plug(HID_POS);
    const { reader: hid, events } = reader(bus, { assembler: { maxReportGapMs: 30 }, readTimeoutMs: 10 });
    await hid.open();
    device.send(hidPosReportsForLines(TD3)[0] ?? new Uint8Array());
    await events.until((event) => event.type === 'discarded');
    expect(events.events.at(-1)).toEqual({ type: 'discarded', discarded: { count: 56, reason: 'partial message dropped: its last report never came' } });
    expect(hid.state()).toEqual({ kind: 'ready' });
  });

  it('on close: drops the half message, releases the device and says closed', async () => {
    const bus = new SimulatedHidBus();
    const device = bus.plug(HID_POS);
    const { reader: hid, events } = reader(bus);
    await hid.open();
    device.send(hidPosReportsForLines(TD3)[0] ?? new Uint8Array());
    await device.whenIdle();
    await hid.close();
    expect(device.isOpen).toBe(false);
    expect(events.events.slice(-2)).toEqual([
      { type: 'discarded', discarded: { count: 56, reason: 'device closed mid-message' } },
      { type: 'state', state: { kind: 'closed' } },
    ]);
  });

  it('stops visibly, without an unhandled rejection, when a listener throws', async () => {
    const bus = new SimulatedHidBus();
    const device = bus.plug(HID_POS);
    const { reader: hid, events } = reader(bus);
    hid.on('document', () => {
      throw new Error('listener bug');
    });
    await hid.open();
    device.send(...hidPosReportsForLines(TD3));
    await events.until(isState('error'));
    expect(hid.state()).toEqual({ kind: 'error', reason: expect.stringContaining('listener bug'), retrying: false, code: 'DEVICE_PROTOCOL' });
  });
});

describe('hidPosReaderFactory', () => {
  it('makes HID POS readers from a HID address and refuses other transports', () => {
    const created = hidPosReaderFactory.create({ transport: 'hid', vendorId: VENDOR, productId: PRODUCT });
    expect(created).toMatchObject({ kind: 'mrz-reader', protocol: 'mrz-hid-pos' });
    expect(created.state()).toEqual({ kind: 'closed' });
    expect(() => hidPosReaderFactory.create({ transport: 'keyboard-wedge' })).toThrow(DeviceError);
  });
});
