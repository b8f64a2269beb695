import type { FingerImage } from '../types';
import { noise, seededRandom } from './fingerprint-synthetic';

/**
 * What the fingerprint module simulators share: the wire they speak over, the scenario
 * knobs, and the way trouble is put on the wire (noise, damaged packets, an unplug).
 */

/** Anything that carries bytes both ways: a Node Duplex (a SerialPort, a socket), a pseudo-terminal master. */
export interface SimulatorStream {
  /** May return a promise (awaited, so that answers keep their order); a rejection means the wire is gone. */
  write(bytes: Uint8Array): unknown;
  on(event: 'data', listener: (bytes: Uint8Array) => void): unknown;
  off(event: 'data', listener: (bytes: Uint8Array) => void): unknown;
  /** The module's line speed, for a wire that knows speeds (a pseudo-terminal); others ignore it. */
  setBaudRate?(baudRate: number): unknown;
}

export interface FingerprintSimulatorOptions {
  /** Decides the synthetic finger and template. */
  seed: number;
  /** "No finger" answers before a finger is down, for every capture; Infinity: nobody ever puts a finger on. */
  fingerAfterPolls: number;
  /** Bytes of line noise written before every answer. */
  garbageBytes: number;
  /** Before every answer, a copy of it with a broken checksum (the real one follows and must be found). */
  damagedCopies: boolean;
  /** In the first n uploads (image or template), one data packet goes out with a broken checksum: the host must ask again. */
  damagedUploads: number;
  /** The first n image uploads stop half-way and the module is unplugged. */
  unplugsMidUpload: number;
  /** Short answers go out one byte per write. */
  dribble: boolean;
  /** The finger images, but has too few features for a template (ZFM: Img2Tz answers 07; GT-521: MakeTemplate NACK_BAD_FINGER). */
  poorFinger: boolean;
  /** The module answers nothing at all. */
  silent: boolean;
  /**
   * GT-521: the speed the module runs at when the simulation starts: 9600 after power-on
   * (the default), or the speed an earlier session switched it to (it keeps that until
   * power goes). An unplug is a power cycle: back to 9600.
   */
  baudRateAtStart?: number;
  /** Pulls the plug (a test's pseudo-terminal unplug); without it, the module just stops talking for the rest of that answer. */
  unplug?: () => Promise<void>;
}

export const DEFAULT_SIMULATOR_OPTIONS: FingerprintSimulatorOptions = {
  seed: 1,
  fingerAfterPolls: 2,
  garbageBytes: 0,
  damagedCopies: false,
  damagedUploads: 0,
  unplugsMidUpload: 0,
  dribble: false,
  poorFinger: false,
  silent: false,
};

/** Named scenarios, for the devices CLI (`--scenario`) and the simulator transport of the app. */
export const FINGERPRINT_SCENARIOS = {
  normal: {},
  'no-finger': { fingerAfterPolls: Number.POSITIVE_INFINITY },
  garbage: { garbageBytes: 9 },
  'bad-checksum': { damagedCopies: true },
  'damaged-upload': { damagedUploads: 1 },
  'unplug-mid-upload': { unplugsMidUpload: 1 },
  dribble: { dribble: true },
  'poor-finger': { poorFinger: true },
  silent: { silent: true },
} satisfies Record<string, Partial<FingerprintSimulatorOptions>>;

export type FingerprintScenario = keyof typeof FINGERPRINT_SCENARIOS;

export function isFingerprintScenario(name: string): name is FingerprintScenario {
  return Object.hasOwn(FINGERPRINT_SCENARIOS, name);
}

/** What a test or the CLI can look at while a simulator runs. */
export interface FingerprintSimulator {
  readonly protocol: 'zfm' | 'gt521';
  /** The finger as the host should end up with it (for ZFM: after the 4-bit round trip). */
  readonly image: FingerImage;
  readonly template: Uint8Array;
  /** Names of the commands received, in order. */
  readonly commands: readonly string[];
  stop(): void;
}

/** An answer the module abandoned because the wire went away. */
class WireGone extends Error {}

/**
 * The module's side of the wire: feeds received bytes to the protocol, runs one command
 * at a time, and writes answers with whatever trouble the scenario asks for.
 */
export class SimulatedWire {
  readonly random: () => number;
  private readonly listener = (bytes: Uint8Array): void => this.received(bytes);
  private work: Promise<void> = Promise.resolve();
  /** Bumped by an unplug: answers of the old connection are dropped. */
  private connection = 0;
  private stopped = false;

  constructor(
    private readonly stream: SimulatorStream,
    readonly options: FingerprintSimulatorOptions,
    /** Decodes received bytes into commands, each run in turn by `run`. */
    private readonly decode: (bytes: Uint8Array) => (() => Promise<void>)[],
    /** Forgets the module's state (finger, buffers, decoder): it was unplugged. */
    private readonly forget: () => void,
  ) {
    this.random = seededRandom(options.seed ^ 0x9e3779b9);
    stream.on('data', this.listener);
  }

  stop(): void {
    this.stopped = true;
    this.stream.off('data', this.listener);
  }

  /** An answer (acknowledgement, response): with the scenario's noise, damaged copy, dribbling. */
  async answer(packet: Uint8Array): Promise<void> {
    if (this.options.garbageBytes > 0) await this.write(noise(this.options.garbageBytes, this.random));
    if (this.options.damagedCopies) await this.write(damage(packet));
    if (!this.options.dribble) return this.write(packet);
    for (const [at, byte] of packet.entries()) {
      if (at > 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await this.write(Uint8Array.of(byte));
    }
    // No pause after the last byte: what the module does once its answer is out (a GT-521
    // switching its speed after ChangeBaudrate) happens before the host can answer back.
  }

  /** Bulk data (image, template), as is. */
  data(bytes: Uint8Array): Promise<void> {
    return this.write(bytes);
  }

  /** The module is pulled out: the rest of the current answer, and anything queued, is dropped. */
  async unplug(): Promise<never> {
    this.connection++;
    this.forget();
    await this.options.unplug?.();
    throw new WireGone('unplugged');
  }

  private received(bytes: Uint8Array): void {
    if (this.stopped || this.options.silent) return;
    const connection = this.connection;
    for (const command of this.decode(bytes)) {
      this.work = this.work.then(() => (connection === this.connection && !this.stopped ? command() : undefined)).catch((error: unknown) => this.abandoned(error));
    }
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (this.stopped) throw new WireGone('stopped');
    try {
      await this.stream.write(bytes);
    } catch (error) {
      throw new WireGone(`the wire failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private abandoned(error: unknown): void {
    // A module whose wire went away stops talking mid-answer. Anything else is a bug in
    // the simulator: raise it out of band, so the next command still runs.
    if (error instanceof WireGone) return;
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** The same packet with its last (checksum) byte broken. */
export function damage(packet: Uint8Array): Uint8Array {
  const damaged = packet.slice();
  damaged[damaged.length - 1]! ^= 0x5a;
  return damaged;
}

export function withDefaults(options: Partial<FingerprintSimulatorOptions>): FingerprintSimulatorOptions {
  return { ...DEFAULT_SIMULATOR_OPTIONS, ...options };
}
