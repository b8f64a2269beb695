import { runFingerprintSimulator, type FingerprintProtocol } from '../simulators/fingerprint-simulator';
import type { FingerprintSimulator, FingerprintSimulatorOptions } from '../simulators/fingerprint-simulated-module';
import { pseudoTerminalStream } from '../simulators/fingerprint-pty-stream';
import type { DeviceState, DiscardedBytes, FingerprintScanner } from '../types';
import { serialTransport, type TransportOpener } from './transport';

/** The parts of test/support/pty.ts's PseudoTerminal the rig uses. */
export interface RigPseudoTerminal {
  readonly path: string;
  write(bytes: Uint8Array): Promise<void>;
  received(count: number, timeoutMs?: number): Promise<Buffer>;
  takeReceived(): Buffer;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

/** Short timings, so that tests wait milliseconds where a station waits seconds. */
export const FAST = {
  pollIntervalMs: 10,
  responseTimeoutMs: 400,
  slowResponseTimeoutMs: 800,
  backoff: { initialDelayMs: 20, maxDelayMs: 200 },
};

/**
 * A fingerprint driver on the slave side of a real pseudo-terminal, opened with the real
 * serialport binding, and a simulated module on the master side.
 */
export class ScannerRig<S extends FingerprintScanner> {
  readonly states: DeviceState[] = [];
  readonly fingers: boolean[] = [];
  readonly discarded: DiscardedBytes[] = [];
  private constructor(
    readonly pty: RigPseudoTerminal,
    readonly simulator: FingerprintSimulator,
    readonly scanner: S,
    private readonly stopStream: () => void,
  ) {
    scanner.on('state', (state) => this.states.push(state));
    scanner.on('finger', (present) => this.fingers.push(present));
    scanner.on('discarded', (discarded) => this.discarded.push(discarded));
  }

  static async start<S extends FingerprintScanner>(
    openPseudoTerminal: () => Promise<RigPseudoTerminal>,
    protocol: FingerprintProtocol,
    simulatorOptions: Partial<FingerprintSimulatorOptions>,
    createScanner: (path: string, openTransport: TransportOpener) => S,
  ): Promise<ScannerRig<S>> {
    const pty = await openPseudoTerminal();
    const stream = pseudoTerminalStream(pty);
    const simulator = runFingerprintSimulator(protocol, stream, { unplug: () => pty.unplug(), ...simulatorOptions });
    const baudRate = protocol === 'zfm' ? 57600 : 9600;
    const scanner = createScanner(pty.path, serialTransport({ transport: 'serial', path: pty.path, baudRate, parity: 'none', dataBits: 8, stopBits: 1 }));
    const rig = new ScannerRig(pty, simulator, scanner, () => stream.stop());
    await scanner.open();
    return rig;
  }

  /** Resolves when the scanner reports a state `matches` takes (or is in one already). */
  waitForState(matches: (state: DeviceState) => boolean, timeoutMs = 5_000): Promise<DeviceState> {
    if (matches(this.scanner.state())) return Promise.resolve(this.scanner.state());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.scanner.off('state', listener);
        reject(new Error(`No matching state within ${timeoutMs} ms; states: ${JSON.stringify(this.states)}`));
      }, timeoutMs);
      const listener = (state: DeviceState): void => {
        if (!matches(state)) return;
        clearTimeout(timer);
        this.scanner.off('state', listener);
        resolve(state);
      };
      this.scanner.on('state', listener);
    });
  }

  async stop(): Promise<void> {
    await this.scanner.close();
    this.simulator.stop();
    this.stopStream();
    await this.pty.close();
  }
}
