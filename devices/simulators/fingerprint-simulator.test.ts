import { describe, expect, it } from 'vitest';
import { Gt521Command, encodeGt521Command } from '../fingerprint/gt521-codec';
import { imageQuality } from '../fingerprint/quality';
import { zfmCommand } from '../fingerprint/zfm-codec';
import type { SimulatorStream } from './fingerprint-simulated-module';
import { runFingerprintSimulator } from './fingerprint-simulator';
import { syntheticFingerprint, syntheticTemplate } from './fingerprint-synthetic';

/** A wire in memory: what the host sends, and every write the module makes, one entry each. */
function memoryWire(): SimulatorStream & { host(bytes: Uint8Array): void; writes: Uint8Array[]; wait(count: number): Promise<void> } {
  const listeners = new Set<(bytes: Uint8Array) => void>();
  const writes: Uint8Array[] = [];
  return {
    writes,
    write: (bytes) => writes.push(bytes.slice()),
    on: (_event, listener) => listeners.add(listener),
    off: (_event, listener) => listeners.delete(listener),
    host: (bytes) => listeners.forEach((listener) => listener(bytes)),
    async wait(count) {
      for (let turn = 0; writes.length < count && turn < 500; turn++) await new Promise((resolve) => setTimeout(resolve, 2));
    },
  };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const all = (writes: Uint8Array[]): string => writes.map(hex).join('');

describe('ZFM simulator, byte for byte', () => {
  it("answers GenImg with 'no finger' for the first polls, then with OK", async () => {
    const wire = memoryWire();
    const simulator = runFingerprintSimulator('zfm', wire, { fingerAfterPolls: 2 });
    for (let poll = 0; poll < 3; poll++) wire.host(zfmCommand.genImg());
    await wire.wait(3);
    expect(wire.writes.map(hex)).toEqual(['EF01FFFFFFFF070003020' + '00C', 'EF01FFFFFFFF07000302000C', 'EF01FFFFFFFF07000300000A']);
    expect(simulator.commands).toEqual(['GenImg', 'GenImg', 'GenImg']);
    simulator.stop();
  });

  it('uploads the image as 288 data packets of 128 bytes, the last marked end of data', async () => {
    const wire = memoryWire();
    const simulator = runFingerprintSimulator('zfm', wire, { fingerAfterPolls: 0 });
    wire.host(zfmCommand.genImg());
    wire.host(zfmCommand.upImage());
    await wire.wait(2 + 288);
    const packets = wire.writes.slice(2);
    expect(packets).toHaveLength(288);
    expect(packets.every((packet) => packet.length === 9 + 128 + 2)).toBe(true);
    expect(packets.slice(0, -1).every((packet) => packet[6] === 0x02)).toBe(true);
    expect(packets.at(-1)![6]).toBe(0x08);
    simulator.stop();
  });

  it('puts noise and a damaged copy before an answer when the scenario asks', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('zfm', wire, { garbageBytes: 5, damagedCopies: true, fingerAfterPolls: 0 });
    wire.host(zfmCommand.genImg());
    await wire.wait(3);
    expect(wire.writes.map((write) => write.length)).toEqual([5, 12, 12]);
    expect(hex(wire.writes[2]!)).toBe('EF01FFFFFFFF07000300000A');
    expect(hex(wire.writes[1]!)).not.toBe(hex(wire.writes[2]!));
  });

  it('dribbles an answer one byte per write', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('zfm', wire, 'dribble');
    wire.host(zfmCommand.vfyPwd(0));
    await wire.wait(12);
    expect(wire.writes.every((write) => write.length === 1)).toBe(true);
    expect(all(wire.writes)).toBe('EF01FFFFFFFF07000300000A');
  });

  it('never finds a finger in the no-finger scenario', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('zfm', wire, 'no-finger');
    for (let poll = 0; poll < 20; poll++) wire.host(zfmCommand.genImg());
    await wire.wait(20);
    expect(new Set(wire.writes.map(hex))).toEqual(new Set(['EF01FFFFFFFF07000302000C']));
  });

  it('stops half-way through the image and pulls the plug in the unplug scenario', async () => {
    const wire = memoryWire();
    let unplugged = 0;
    runFingerprintSimulator('zfm', wire, { unplugsMidUpload: 1, fingerAfterPolls: 0, unplug: async () => void unplugged++ });
    wire.host(zfmCommand.genImg());
    wire.host(zfmCommand.upImage());
    await wire.wait(2 + 144);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unplugged).toBe(1);
    expect(wire.writes).toHaveLength(2 + 144);
  });
});

describe('GT-521 simulator, byte for byte', () => {
  it('acknowledges Open as the programming guide shows', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('gt521', wire);
    wire.host(encodeGt521Command(Gt521Command.Open));
    await wire.wait(1);
    expect(all(wire.writes)).toBe('55AA0100000000003000' + '3001');
  });

  it('sees no finger with the LED off, and one after the polls with the LED on', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('gt521', wire, { fingerAfterPolls: 1 });
    wire.host(encodeGt521Command(Gt521Command.IsPressFinger));
    wire.host(encodeGt521Command(Gt521Command.CmosLed, 1));
    wire.host(encodeGt521Command(Gt521Command.IsPressFinger));
    wire.host(encodeGt521Command(Gt521Command.IsPressFinger));
    await wire.wait(4);
    const parameters = wire.writes.map((write) => new DataView(write.buffer, write.byteOffset).getUint32(4, true));
    expect(parameters).toEqual([0x1012, 0, 0x1012, 0]);
  });

  it('sends the image as one data packet of 202×258 bytes after the ack', async () => {
    const wire = memoryWire();
    const simulator = runFingerprintSimulator('gt521', wire, { fingerAfterPolls: 0 });
    for (const [command, parameter] of [
      [Gt521Command.CmosLed, 1],
      [Gt521Command.IsPressFinger, 0],
      [Gt521Command.CaptureFinger, 1],
      [Gt521Command.GetImage, 0],
    ] as const) {
      wire.host(encodeGt521Command(command, parameter));
    }
    await wire.wait(5);
    const data = wire.writes[4]!;
    expect(data).toHaveLength(4 + 202 * 258 + 2);
    expect(hex(data.subarray(0, 4))).toBe('5AA50100');
    expect(data.subarray(4, -2)).toEqual(simulator.image.pixels);
  });

  it('refuses commands it does not know with NACK_IS_NOT_SUPPORTED', async () => {
    const wire = memoryWire();
    runFingerprintSimulator('gt521', wire);
    wire.host(encodeGt521Command(0x51));
    await wire.wait(1);
    expect(all(wire.writes)).toBe('55AA01000E10000031004F01');
  });
});

describe('synthetic fingers', () => {
  it('are the same for the same seed and differ between seeds', () => {
    expect(syntheticFingerprint(64, 64, 3)).toEqual(syntheticFingerprint(64, 64, 3));
    expect(syntheticFingerprint(64, 64, 3)).not.toEqual(syntheticFingerprint(64, 64, 4));
    expect(syntheticTemplate(498, 3)).toEqual(syntheticTemplate(498, 3));
    expect(syntheticTemplate(498, 3)).not.toEqual(syntheticTemplate(498, 4));
  });

  it('look like a finger on glass to the quality measure: ridges in the middle, clear glass in the corners', () => {
    const pixels = syntheticFingerprint(256, 288, 11);
    expect(imageQuality({ width: 256, height: 288, pixels, dpi: 500 })).toBeGreaterThanOrEqual(80);
    expect(pixels[0]).toBeGreaterThan(200);
    const middleRow = pixels.subarray(144 * 256 + 64, 144 * 256 + 192);
    expect(Math.max(...middleRow) - Math.min(...middleRow)).toBeGreaterThan(120);
  });
});
