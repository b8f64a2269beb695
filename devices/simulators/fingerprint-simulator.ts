import type { ByteTransport, TransportOpener } from '../fingerprint/transport';
import { DeviceError } from '../types';
import { runGt521Simulator } from './fingerprint-gt521-simulator';
import {
  FINGERPRINT_SCENARIOS,
  type FingerprintScenario,
  type FingerprintSimulator,
  type FingerprintSimulatorOptions,
  type SimulatorStream,
} from './fingerprint-simulated-module';
import { runZfmSimulator } from './fingerprint-zfm-simulator';

export type FingerprintProtocol = FingerprintSimulator['protocol'];

/**
 * Plays a fingerprint module on a byte stream until stopped: the far end of a
 * pseudo-terminal or serial port (`npm run devices -- simulate --protocol zfm`), or the
 * in-memory wire of the app's simulator transport. `options` may be a scenario name
 * (FINGERPRINT_SCENARIOS) or individual knobs.
 */
export function runFingerprintSimulator(
  protocol: FingerprintProtocol,
  stream: SimulatorStream,
  options: FingerprintScenario | Partial<FingerprintSimulatorOptions> = {},
): FingerprintSimulator {
  const knobs = typeof options === 'string' ? FINGERPRINT_SCENARIOS[options] : options;
  return protocol === 'zfm' ? runZfmSimulator(stream, knobs) : runGt521Simulator(stream, knobs);
}

/**
 * A transport to a simulated module in the same process, for training and demos (a
 * DeviceAddress of transport 'simulator'). Each open plugs in a fresh module, as a replug
 * would; an unplug in the scenario makes the transport go away, and the driver reconnects.
 */
export function fingerprintSimulatorTransport(protocol: FingerprintProtocol, scenario: FingerprintScenario = 'normal'): TransportOpener {
  let unplugsLeft = (FINGERPRINT_SCENARIOS[scenario] as Partial<FingerprintSimulatorOptions>).unplugsMidUpload ?? 0;
  return async (handlers) => {
    let connected = true;
    const moduleListeners = new Set<(bytes: Uint8Array) => void>();
    const disconnect = (): void => {
      connected = false;
      simulator.stop();
    };
    // setImmediate keeps the order of writes and lets each side see the other's bytes asynchronously, as a wire does.
    const moduleSide: SimulatorStream = {
      write: (bytes) => {
        if (!connected) return Promise.reject(new Error('the simulated module is unplugged'));
        const copy = bytes.slice();
        setImmediate(() => connected && handlers.data(copy));
        return Promise.resolve();
      },
      on: (_event, listener) => moduleListeners.add(listener),
      off: (_event, listener) => moduleListeners.delete(listener),
    };
    const simulator = runFingerprintSimulator(protocol, moduleSide, {
      ...FINGERPRINT_SCENARIOS[scenario],
      unplugsMidUpload: unplugsLeft,
      unplug: async () => {
        unplugsLeft--;
        disconnect();
        setImmediate(() => handlers.gone('the simulated module was unplugged'));
      },
    });
    const hostSide: ByteTransport = {
      write: async (bytes) => {
        if (!connected) throw new DeviceError('DEVICE_CLOSED', 'The simulated fingerprint module is unplugged.');
        const copy = bytes.slice();
        setImmediate(() => {
          if (connected) for (const listener of moduleListeners) listener(copy);
        });
      },
      setBaudRate: async () => undefined,
      checkPresence: async () => undefined,
      close: async () => disconnect(),
    };
    return hostSide;
  };
}
