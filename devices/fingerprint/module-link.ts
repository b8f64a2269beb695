import { performance } from 'node:perf_hooks';
import { DeviceError, type DeviceState, type DiscardedBytes } from '../types';
import { BAD_CHECKSUM, type PacketDecoder } from './decoding';
import type { ByteTransport, TransportOpener } from './transport';

/**
 * The connection to one fingerprint module, whatever its protocol: opens the transport,
 * runs the protocol's handshake, decodes what arrives, hands packets to whoever waits for
 * one, and when the module goes away fails everything in flight with DEVICE_CLOSED and
 * reconnects with backoff. A reconnect starts from nothing: a fresh decoder, an empty
 * queue, the OS input flushed, so no byte of the old session can answer a new question.
 */

export interface Backoff {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialDelayMs: 250, maxDelayMs: 5_000 };

export interface ModuleLinkOptions<P extends { size: number }> {
  /** For messages: '/dev/ttyUSB0', 'the simulator'. */
  where: string;
  openTransport: TransportOpener;
  decoder: PacketDecoder<P>;
  /** Run after every (re)connect, before the link is ready: proves the module answers. */
  handshake: (link: ModuleLink<P>) => Promise<void>;
  backoff: Backoff;
  onState: (state: DeviceState) => void;
  onDiscarded: (discarded: DiscardedBytes) => void;
}

export interface ReceiveOptions {
  /** Fails with DEVICE_TIMEOUT after this long without a packet, or part of one, from the module. */
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** A packet, with how many damaged packets the link had seen when it was decoded. */
export interface Received<P> {
  packet: P;
  damagedSoFar: number;
}

interface Waiter<P> {
  accept: (packet: P) => boolean;
  resolve: (received: Received<P>) => void;
  fail: (error: unknown) => void;
  /** A byte arrived: restart the idle timer. */
  touch: () => void;
}

export class ModuleLink<P extends { size: number }> {
  private transport: ByteTransport | null = null;
  private session = 0;
  private closed = true;
  private current: DeviceState = { kind: 'closed' };
  /** Why the link is not usable, as the error a capture should fail with. */
  private failure: DeviceError | null = null;
  private queue: Received<P>[] = [];
  private waiter: Waiter<P> | null = null;
  /** Everything pending (waits, sleeps) that a disconnect or close must fail. */
  private readonly interruptible = new Set<(error: DeviceError) => void>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private lastByteAt = 0;
  private damaged = 0;

  constructor(private readonly options: ModuleLinkOptions<P>) {
    this.delayMs = options.backoff.initialDelayMs;
  }

  state(): DeviceState {
    return this.current;
  }

  setState(state: DeviceState): void {
    this.current = state;
    this.options.onState(state);
  }

  /** Why a capture cannot start now, or null when the module is ready. */
  unavailable(): DeviceError | null {
    switch (this.current.kind) {
      case 'ready':
        return null;
      case 'busy':
        return new DeviceError('DEVICE_BUSY', 'The fingerprint scanner is busy with another capture.');
      case 'closed':
        return new DeviceError('DEVICE_CLOSED', 'The fingerprint scanner is closed.');
      default:
        return this.failure ?? new DeviceError('DEVICE_CLOSED', `The fingerprint module on ${this.options.where} is not connected yet.`);
    }
  }

  /** Damaged packets seen so far: a step whose answer was damaged may be asked again. */
  damagedPackets(): number {
    return this.damaged;
  }

  /** Connects once; on failure the link reports the error state and keeps retrying. Never rejects. */
  async open(): Promise<void> {
    if (!this.closed) return;
    this.closed = false;
    this.setState({ kind: 'connecting' });
    await this.connect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session++;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.interrupt(new DeviceError('DEVICE_CLOSED', 'The fingerprint scanner was closed.'));
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
    this.setState({ kind: 'closed' });
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (!this.transport) throw this.goneError();
    // Nothing that arrived before this question can be its answer.
    this.queue = [];
    await this.transport.write(bytes);
  }

  async setBaudRate(baudRate: number): Promise<void> {
    if (!this.transport) throw this.goneError();
    await this.transport.setBaudRate(baudRate);
  }

  /** The next packet `accept` takes; packets it refuses are discarded as unexpected. */
  receive(accept: (packet: P) => boolean, options: ReceiveOptions): Promise<Received<P>> {
    if (!this.transport) return Promise.reject(this.goneError());
    while (this.queue.length > 0) {
      const received = this.queue.shift()!;
      if (accept(received.packet)) return Promise.resolve(received);
      this.options.onDiscarded({ count: received.packet.size, reason: 'unexpected packet' });
    }
    return this.pending<Received<P>>(options.signal, (resolve, fail) => {
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const silent = new DeviceError('DEVICE_TIMEOUT', `The fingerprint module on ${this.options.where} stopped answering (nothing for ${options.idleTimeoutMs} ms).`);
          // Silence may be an unplugged module whose port did not notice: then it is DEVICE_CLOSED (gone() fails this wait first).
          void (this.transport?.checkPresence() ?? Promise.resolve()).then(() => fail(silent));
        }, options.idleTimeoutMs);
      };
      arm();
      this.waiter = { accept, resolve, fail, touch: arm };
      return () => {
        clearTimeout(timer);
        this.waiter = null;
      };
    });
  }

  /** Waits, but fails like any exchange when the module goes away, the link closes or the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.pending<void>(signal, (resolve) => {
      const timer = setTimeout(resolve, ms);
      return () => clearTimeout(timer);
    });
  }

  /**
   * Waits until the module has been quiet for `quietMs` (at most `maxMs`), then forgets
   * everything received: after an aborted or damaged exchange, the rest of the old answer
   * must not be taken for the next one.
   */
  async settle(quietMs: number, maxMs = quietMs * 20): Promise<void> {
    const until = performance.now() + maxMs;
    for (;;) {
      const quietFor = performance.now() - this.lastByteAt;
      if (quietFor >= quietMs || performance.now() >= until) break;
      await this.sleep(quietMs - quietFor);
    }
    this.queue = [];
    this.options.decoder.reset();
  }

  private async connect(): Promise<void> {
    const session = ++this.session;
    this.reconnectTimer = null;
    this.queue = [];
    this.options.decoder.reset();
    let transport: ByteTransport;
    try {
      transport = await this.options.openTransport({
        data: (bytes) => this.arrived(session, bytes),
        gone: (reason) => this.gone(session, reason),
      });
    } catch (error) {
      if (session !== this.session) return;
      const failure = asDeviceError(error, 'DEVICE_NOT_FOUND');
      // Without the library no retry can help: say so and stop.
      const retrying = failure.code !== 'DEVICE_LIBRARY_MISSING';
      this.fail(failure, retrying);
      if (retrying) this.scheduleReconnect();
      return;
    }
    if (session !== this.session) {
      await transport.close();
      return;
    }
    this.transport = transport;
    try {
      await this.options.handshake(this);
    } catch (error) {
      if (session !== this.session) return;
      const failure = asDeviceError(error, 'DEVICE_TIMEOUT');
      const why =
        failure.code === 'DEVICE_TIMEOUT'
          ? `The fingerprint module on ${this.options.where} does not answer: check that it is powered, and its protocol and baud rate.`
          : `The fingerprint module on ${this.options.where} does not answer as expected: ${failure.message}`;
      this.fail(new DeviceError(failure.code, why, { cause: error }), true);
      this.transport = null;
      await transport.close();
      this.scheduleReconnect();
      return;
    }
    if (session !== this.session) return;
    this.failure = null;
    this.delayMs = this.options.backoff.initialDelayMs;
    this.setState({ kind: 'ready' });
  }

  private arrived(session: number, bytes: Uint8Array): void {
    if (session !== this.session) return;
    this.lastByteAt = performance.now();
    const events = this.options.decoder.push(bytes);
    // Only bytes that make packets keep a wait alive: a line chattering noise must not.
    if (this.options.decoder.buffered() > 0 || events.some((event) => event.kind === 'packet')) this.waiter?.touch();
    for (const event of events) {
      if (event.kind === 'discarded') {
        if (event.discarded.reason === BAD_CHECKSUM) this.damaged++;
        this.options.onDiscarded(event.discarded);
        continue;
      }
      const waiter = this.waiter;
      const received = { packet: event.packet, damagedSoFar: this.damaged };
      if (!waiter) this.queue.push(received);
      else if (waiter.accept(event.packet)) waiter.resolve(received);
      else this.options.onDiscarded({ count: event.packet.size, reason: 'unexpected packet' });
    }
  }

  /** The module stopped answering while its port stays open (powered off behind a USB adapter): start over. */
  restart(reason: string): void {
    this.gone(this.session, reason);
  }

  private gone(session: number, reason: string): void {
    if (session !== this.session || this.closed) return;
    this.session++;
    const transport = this.transport;
    this.transport = null;
    void transport?.close();
    const failure = new DeviceError('DEVICE_CLOSED', `The fingerprint module on ${this.options.where} went away (${reason}).`);
    this.interrupt(failure);
    this.fail(failure, true);
    this.scheduleReconnect();
  }

  private fail(failure: DeviceError, retrying: boolean): void {
    this.failure = failure;
    this.setState({ kind: 'error', reason: retrying ? `${failure.message} Reconnecting…` : failure.message, retrying });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.options.backoff.maxDelayMs);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    // A station shutting down does not wait for a scanner that is not there.
    this.reconnectTimer.unref();
  }

  private goneError(): DeviceError {
    return this.failure ?? new DeviceError('DEVICE_CLOSED', `The fingerprint module on ${this.options.where} is not connected.`);
  }

  private interrupt(error: DeviceError): void {
    for (const fail of [...this.interruptible]) fail(error);
  }

  /**
   * A promise that settles once: by `start`'s own resolve/fail, by an interruption
   * (disconnect, close) or by the signal. `start` returns its clean-up.
   */
  private pending<T>(signal: AbortSignal | undefined, start: (resolve: (value: T) => void, fail: (error: unknown) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let cleanUp: () => void = () => undefined;
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        cleanUp();
        this.interruptible.delete(interrupt);
        signal?.removeEventListener('abort', abort);
        settle();
      };
      const interrupt = (error: DeviceError): void => finish(() => reject(error));
      const abort = (): void => finish(() => reject(signal!.reason));
      this.interruptible.add(interrupt);
      signal?.addEventListener('abort', abort, { once: true });
      cleanUp = start(
        (value) => finish(() => resolve(value)),
        (error) => finish(() => reject(error)),
      );
    });
  }
}

function asDeviceError(error: unknown, fallback: DeviceError['code']): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError(fallback, error instanceof Error ? error.message : String(error), { cause: error });
}
