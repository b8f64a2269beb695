import { EventEmitter } from 'node:events';
import { SerialLine } from '../serial/serial-line';
import type { SerialAddress, SerialLineOptions } from '../serial/serial-line';
import { DeviceError } from '../types';
import type { DeviceAddress, DeviceState, DriverFactory, MrzReader, MrzReaderEvents } from '../types';
import { createMrzFrameParser } from './framing';
import type { FrameEvent, MrzFraming, MrzFrameParser } from './framing';

/**
 * An MRZ reader on a serial port (or a USB-CDC one, which the system shows as a serial
 * port): the port's bytes go through the framing's parser, whole documents come out as
 * 'document', what could not be used as 'discarded'. The line reconnects by itself; each time
 * the port goes away the parser forgets its partial frame, so that half a message sent before
 * an unplug never joins the first half of one sent after.
 */
export class SerialMrzReader implements MrzReader {
  readonly kind = 'mrz-reader';
  readonly #line: SerialLine;
  readonly #parser: MrzFrameParser;
  readonly #events = new EventEmitter();

  constructor(
    readonly protocol: string,
    readonly framing: MrzFraming,
    address: SerialAddress,
    options: SerialLineOptions & { maxFrameBytes?: number } = {},
  ) {
    this.#parser = createMrzFrameParser(framing, options);
    this.#line = new SerialLine(address, options);
    this.#line.on('state', (state) => this.#onLineState(state));
    this.#line.on('bytes', (chunk, receivedAt) => this.#report(this.#parser.push(chunk), receivedAt));
  }

  on<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.#events.off(event, listener);
    return this;
  }

  state(): DeviceState {
    return this.#line.state();
  }

  open(): Promise<void> {
    return this.#line.open();
  }

  close(): Promise<void> {
    return this.#line.close();
  }

  #onLineState(state: DeviceState): void {
    // Whenever the port stops being open, a partial frame is stale: the device starts afresh.
    if (state.kind !== 'ready') this.#report(this.#parser.reset(), process.hrtime.bigint());
    this.#emit('state', state);
  }

  #report(events: readonly FrameEvent[], receivedAt: bigint): void {
    for (const event of events) {
      if (event.kind === 'document') this.#emit('document', { text: event.text, framing: this.framing, receivedAt });
      else this.#emit('discarded', { count: event.count, reason: event.reason });
    }
  }

  #emit<E extends keyof MrzReaderEvents>(event: E, ...args: Parameters<MrzReaderEvents[E]>): void {
    this.#events.emit(event, ...args);
  }
}

/** The protocol names station settings use for the serial MRZ framings. */
export const SERIAL_MRZ_PROTOCOLS: Readonly<Record<string, MrzFraming>> = {
  'mrz-stx-etx': 'stx-etx',
  'mrz-soh-bcc': 'soh-bcc',
  'mrz-json': 'json',
};

/** The driver factories of the serial MRZ framings, one per protocol name. */
export const serialMrzReaderDrivers: readonly DriverFactory[] = Object.entries(SERIAL_MRZ_PROTOCOLS).map(([protocol, framing]) => ({
  protocol,
  kind: 'mrz-reader',
  transports: ['serial'],
  create(address: DeviceAddress) {
    if (address.transport !== 'serial') {
      throw new DeviceError('DEVICE_PROTOCOL', `An ${protocol} reader is reached over a serial port, not over ${address.transport}.`);
    }
    return new SerialMrzReader(protocol, framing, address);
  },
}));
