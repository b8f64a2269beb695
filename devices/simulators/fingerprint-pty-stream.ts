import type { SimulatorStream } from './fingerprint-simulated-module';

/** The parts of devices/serial/pseudo-terminal.ts's PseudoTerminal a simulator needs. */
interface PseudoTerminalMaster {
  write(bytes: Uint8Array): Promise<void>;
  received(count: number, timeoutMs?: number): Promise<Buffer>;
  takeReceived(): Buffer;
  setDeviceBaudRate?(baudRate: number | null): Promise<void>;
}

/**
 * The master side of a pseudo-terminal as a simulator's stream, for tests and for
 * `npm run devices -- simulate`: what the driver on the slave side writes is read in a
 * loop and handed to the simulator; what the simulator writes goes onto the wire (and is
 * refused while the pseudo-terminal is unplugged). `stop` ends the read loop.
 *
 *   const pty = await openPseudoTerminal();
 *   const stream = pseudoTerminalStream(pty);
 *   const simulator = runFingerprintSimulator('zfm', stream, { unplug: () => pty.unplug() });
 */
export function pseudoTerminalStream(pty: PseudoTerminalMaster): SimulatorStream & { stop(): void } {
  const listeners = new Set<(bytes: Uint8Array) => void>();
  let stopped = false;
  const readLoop = async (): Promise<void> => {
    while (!stopped) {
      const first = await pty.received(1, 200).then(
        (bytes) => bytes,
        // Nothing within 200 ms: look again (and notice a stop).
        () => null,
      );
      if (!first || stopped) continue;
      const chunk = Buffer.concat([first, pty.takeReceived()]);
      for (const listener of listeners) listener(chunk);
    }
  };
  void readLoop();
  return {
    write: (bytes) => pty.write(bytes),
    setBaudRate: (baudRate) => pty.setDeviceBaudRate?.(baudRate),
    on: (_event, listener) => listeners.add(listener),
    off: (_event, listener) => listeners.delete(listener),
    stop: () => {
      stopped = true;
    },
  };
}
