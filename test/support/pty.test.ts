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

  it('passes bytes only while the port runs at the speed the device was given, also after a replug', async () => {
    pty = await openPseudoTerminal();
    await pty.setDeviceBaudRate(115_200);
    const port = await openPort(pty.path);
    // At 9600 the device hears nothing of the port, and the port nothing of the device.
    port.write(Buffer.from('slow'));
    await expect(pty.received(1, 300)).rejects.toThrow(/got 0 of 1 bytes/);
    const heard: Buffer[] = [];
    port.on('data', (chunk: Buffer) => heard.push(chunk));
    await pty.write('lost');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual([]);

    await new Promise<void>((resolve, reject) => port.update({ baudRate: 115_200 }, (error) => (error ? reject(error) : resolve())));
    port.write(Buffer.from('fast'));
    expect((await pty.received(4)).toString()).toBe('fast');
    const arriving = nextData(port, 4);
    await pty.write('back');
    expect((await arriving).toString()).toBe('back');
    await new Promise<void>((resolve) => port.close(() => resolve()));

    // A new pair keeps the device's speed; null lets everything through again.
    await pty.unplug();
    await pty.replug();
    const again = await openPort(pty.path);
    again.write(Buffer.from('x'));
    await expect(pty.received(1, 300)).rejects.toThrow(/got 0 of 1 bytes/);
    await pty.setDeviceBaudRate(null);
    again.write(Buffer.from('y'));
    expect((await pty.received(1)).toString()).toBe('y');
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
