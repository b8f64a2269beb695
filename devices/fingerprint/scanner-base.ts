import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  DeviceError,
  type DeviceState,
  type DiscardedBytes,
  type FingerCapture,
  type FingerprintScanner,
  type FingerprintScannerEvents,
} from '../types';
import type { PacketDecoder } from './decoding';
import { DEFAULT_BACKOFF, ModuleLink, type Backoff, type Received } from './module-link';
import type { TransportOpener } from './transport';

/** The knobs every fingerprint driver shares; each driver documents its defaults. */
export interface ScannerTiming {
  /** Between two "is there a finger?" questions. */
  pollIntervalMs: number;
  /** How long the module may stay silent when an answer is due (reset by every byte, so long uploads are fine). */
  responseTimeoutMs: number;
  /** The same for commands the module works on before it answers: imaging a finger, extracting its features. */
  slowResponseTimeoutMs: number;
  /** How often a step whose answer arrived damaged is asked again before the capture fails with DEVICE_PROTOCOL. */
  damagedRetries: number;
  backoff: Backoff;
}

export const DEFAULT_TIMING: ScannerTiming = {
  pollIntervalMs: 100,
  responseTimeoutMs: 1_000,
  slowResponseTimeoutMs: 5_000,
  damagedRetries: 2,
  backoff: DEFAULT_BACKOFF,
};

/** Quiet time that tells a module has finished talking, before a question is asked again. */
const SETTLE_QUIET_MS = 150;

export interface CaptureContext {
  /** performance.now() by which a finger must be down. */
  deadline: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * What the ZFM and GT-521 drivers share: the FingerprintScanner surface, one capture at a
 * time, the busy/ready states, the finger events, the retry of damaged answers, and the
 * clean-up after a failed capture. A driver supplies its handshake and its capture steps.
 */
export abstract class PacketFingerprintScanner<P extends { size: number }> implements FingerprintScanner {
  readonly kind = 'fingerprint-scanner' as const;
  abstract readonly protocol: string;
  protected readonly link: ModuleLink<P>;
  protected readonly timing: ScannerTiming;
  private readonly events = new EventEmitter();
  private fingerPresent: boolean | null = null;
  /** A capture ended half-way: what the module still sends belongs to it. */
  private unsettled = false;

  protected constructor(where: string, openTransport: TransportOpener, decoder: PacketDecoder<P>, timing: Partial<ScannerTiming>) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.link = new ModuleLink<P>({
      where,
      openTransport,
      decoder,
      handshake: () => this.handshake(),
      backoff: this.timing.backoff,
      onState: (state: DeviceState) => this.events.emit('state', state),
      onDiscarded: (discarded: DiscardedBytes) => this.events.emit('discarded', discarded),
    });
  }

  /** Proves the module answers, and sets it up, after every (re)connect. */
  protected abstract handshake(): Promise<void>;

  /** Waits for the finger, images it, uploads image and template. */
  protected abstract captureSteps(context: CaptureContext): Promise<FingerCapture>;

  on<E extends keyof FingerprintScannerEvents>(event: E, listener: FingerprintScannerEvents[E]): this {
    this.events.on(event, listener);
    return this;
  }

  off<E extends keyof FingerprintScannerEvents>(event: E, listener: FingerprintScannerEvents[E]): this {
    this.events.off(event, listener);
    return this;
  }

  state(): DeviceState {
    return this.link.state();
  }

  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  async capture(options: { timeoutMs: number; signal?: AbortSignal }): Promise<FingerCapture> {
    const unavailable = this.link.unavailable();
    if (unavailable) throw unavailable;
    this.busy('waiting for a finger');
    this.fingerPresent = null;
    let finished = false;
    try {
      if (this.unsettled) await this.link.settle(SETTLE_QUIET_MS);
      this.unsettled = false;
      const capture = await this.captureSteps({ deadline: performance.now() + options.timeoutMs, timeoutMs: options.timeoutMs, signal: options.signal });
      finished = true;
      return capture;
    } catch (error) {
      if (error instanceof DeviceError && error.code === 'DEVICE_TIMEOUT' && this.link.state().kind === 'busy') {
        // The port is there but the module is not answering (powered off behind its USB adapter): say so and start over.
        this.link.restart('the module stopped answering');
      }
      throw error;
    } finally {
      this.unsettled = !finished;
      if (this.link.state().kind === 'busy') this.link.setState({ kind: 'ready' });
    }
  }

  protected busy(activity: string): void {
    this.link.setState({ kind: 'busy', activity });
  }

  /** Tells listeners a finger went down or came off; only changes are told. */
  protected finger(present: boolean): void {
    if (this.fingerPresent === present) return;
    this.fingerPresent = present;
    this.events.emit('finger', present);
  }

  /** The next packet `accept` takes, within the response timeout (the slow one for a command the module works on). */
  protected receive(accept: (packet: P) => boolean, signal: AbortSignal | undefined, slow = false): Promise<Received<P>> {
    const idleTimeoutMs = slow ? Math.max(this.timing.responseTimeoutMs, this.timing.slowResponseTimeoutMs) : this.timing.responseTimeoutMs;
    return this.link.receive(accept, { idleTimeoutMs, signal });
  }

  /**
   * Runs one question-and-answer step. If it fails (no answer in time, an incomplete
   * upload) after a damaged packet arrived during it, the answer was lost on the wire:
   * wait until the module is quiet, so no rest of the old answer is taken for the new
   * one, and ask again. A step whose answers keep arriving damaged fails with
   * DEVICE_PROTOCOL.
   */
  protected async step<T>(what: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const damagedBefore = this.link.damagedPackets();
      try {
        return await operation();
      } catch (error) {
        const damaged = this.link.damagedPackets() > damagedBefore;
        const answerLost = error instanceof DeviceError && (error.code === 'DEVICE_TIMEOUT' || error.code === 'DEVICE_PROTOCOL');
        if (!damaged || !answerLost) throw error;
        if (attempt >= this.timing.damagedRetries) {
          throw new DeviceError('DEVICE_PROTOCOL', `The fingerprint module's answers to ${what} keep arriving damaged: check the cable and the baud rate.`, { cause: error });
        }
        await this.link.settle(SETTLE_QUIET_MS);
      }
    }
  }

  protected noFingerError(context: CaptureContext): DeviceError {
    return new DeviceError('NO_FINGER', `No finger was put on the scanner within ${Math.round(context.timeoutMs / 100) / 10} s.`);
  }
}
