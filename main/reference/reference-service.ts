import { inForceOn } from '../../domain/records';
import { calendarDayOf, isoInstant } from '../../domain/time';
import { ApiError } from '../api/errors';
import type { StationStore } from '../services/station-store';
import type { CodeListEntryView, StationDetails } from './reference-contract';

export interface ReferenceServiceOptions {
  store: () => StationStore | null;
  stationId: string | null;
  now?: () => number;
}

/** Reads the reference data the server sent (stations, code lists); never writes it. */
export class ReferenceService {
  private readonly now: () => number;

  constructor(private readonly options: ReferenceServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  private database() {
    const store = this.options.store();
    if (!store) throw new ApiError('STORE_UNAVAILABLE', 'The local store is not open yet: reference data cannot be read.');
    return store.database;
  }

  async station(): Promise<StationDetails> {
    const { stationId } = this.options;
    const none = { stationId, name: null, kind: null, municipality: null, crossingPointCode: null };
    if (!stationId) return none;
    const station = await this.database().stations.findOne(stationId).exec();
    if (!station) return none;
    return { stationId, name: station.name, kind: station.kind, municipality: station.municipality, crossingPointCode: station.crossingPointCode ?? null };
  }

  /** Entries valid today (validFrom/validUntil are calendar days, inclusive). */
  async codeLists(lists: readonly string[]): Promise<CodeListEntryView[]> {
    const today = calendarDayOf(isoInstant(this.now()));
    const entries = await this.database().codeLists.find({ selector: { list: { $in: [...lists] } } }).exec();
    return entries
      .map((entry) => entry.toJSON())
      .filter((entry) => inForceOn(entry, today))
      .sort((a, b) => (a.list === b.list ? a.code.localeCompare(b.code) : a.list.localeCompare(b.list)))
      .map(({ list, code, labels, extra }) => ({ list, code, labels: { ...labels }, ...(extra ? { extra: extra as CodeListEntryView['extra'] } : {}) }));
  }
}
