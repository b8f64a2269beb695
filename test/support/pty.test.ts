import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal, type PseudoTerminal } from './pty';

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600 }, (error) => (error ? reject(error) : resolve(port)));
  });
}

function nextData(port: SerialPort, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= length) {
        port.off('data', onData);
        resolve(got);
      }
    };
    port.on('data', onData);
  });
}

describe('a pseudo-terminal pair with the real serialport binding', () => {
  let pty: PseudoTerminal | undefined;
  afterEach(async () => {
    await pty?.close();
  });

  it('carries bytes both ways unchanged (raw: no CR/LF translation, all 256 values)', async () => {
    pty = await openPseudoTerminal();
    const port = await openPort(pty.path);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const arriving = nextData(port, all.length);
    await pty.write(all);
    expect(await arriving).toEqual(all);
    port.write(Buffer.from([0x02, 0x0d, 0x0a, 0x03, 0xff]));
    expect(await pty.received(5)).toEqual(Buffer.from([0x02, 0x0d, 0x0a, 0x03, 0xff]));
    await new Promise<void>((resolve) => port.close(() => resolve()));
  });

  it('takes the device path away on unplug, and serves a new pair at the same path on replug', async () => {
    pty = await openPseudoTerminal();
    const port = await openPort(pty.path);
    await pty.unplug();
    // As /dev/ttyUSB0 goes when an adapter is pulled. (The port's own read may fail with EIO or
    // just see nothing more: drivers also watch the path.)
    expect(existsSync(pty.path)).toBe(false);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await pty.replug();
    const again = await openPort(pty.path);
    const arriving = nextData(again, 3);
    await pty.write('abc');
    expect((await arriving).toString()).toBe('abc');
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
