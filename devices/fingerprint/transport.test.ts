import { afterEach, describe, expect, it } from 'vitest';
import { openPseudoTerminal, type PseudoTerminal } from '../../test/support/pty';
import { DeviceError } from '../types';
import { serialTransport } from './transport';

let pty: PseudoTerminal | undefined;

afterEach(async () => {
  await pty?.close();
  pty = undefined;
});

describe('serial transport over a real pseudo-terminal', () => {
  it('fails a write to a device that has gone with DEVICE_CLOSED, instead of holding it for a port that never opens again', async () => {
    pty = await openPseudoTerminal();
    let reportGone: (reason: string) => void = () => undefined;
    const gone = new Promise<string>((resolve) => (reportGone = resolve));
    const open = serialTransport({ transport: 'serial', path: pty.path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    const transport = await open({ data: () => undefined, gone: (reason) => reportGone(reason) });

    await transport.write(Uint8Array.of(0x55, 0xaa, 0x01));
    expect([...(await pty.received(3))]).toEqual([0x55, 0xaa, 0x01]);

    await pty.unplug();
    expect(await gone).toMatch(/disappeared|failed|disconnected/);
    // serialport itself would queue this write until an 'open' that never comes.
    const error = await transport.write(Uint8Array.of(0x02)).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as DeviceError).code).toBe('DEVICE_CLOSED');
    await transport.close();
  });
});
