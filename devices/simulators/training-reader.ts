import { EventEmitter } from 'node:events';
import type { DeviceState, DriverFactory, MrzReader, MrzReaderEvents } from '../types';
import { syntheticZones } from './mrz-serial-simulator';

/**
 * A passport reader with no hardware, for training and demonstrations: it is always
 * ready, and presents a synthetic document (never a real person's) when asked, through
 * the same events as a real reader, so that the rest of the station cannot tell.
 */
export class TrainingMrzReader implements MrzReader {
  readonly kind = 'mrz-reader';
  readonly protocol = 'training';
  readonly #events = new EventEmitter();
  #state: DeviceState = { kind: 'closed' };
  #presented = 0;

  constructor(private readonly seed = 1) {}

  on<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.#events.off(event, listener);
    return this;
  }

  state(): DeviceState {
    return this.#state;
  }

  async open(): Promise<void> {
    this.#setState({ kind: 'ready' });
  }

  async close(): Promise<void> {
    this.#setState({ kind: 'closed' });
  }

  /** Puts the next synthetic document on the glass. */
  present(): void {
    if (this.#state.kind !== 'ready') return;
    this.#presented += 1;
    const [lines] = syntheticZones(1, this.seed * 100_003 + this.#presented);
    this.#events.emit('document', { text: lines!.join('\n'), framing: 'training', receivedAt: process.hrtime.bigint() });
  }

  #setState(state: DeviceState): void {
    this.#state = state;
    this.#events.emit('state', state);
  }
}

export const trainingReaderFactory: DriverFactory = {
  protocol: 'training',
  kind: 'mrz-reader',
  transports: ['simulator'],
  create: () => new TrainingMrzReader(),
};
