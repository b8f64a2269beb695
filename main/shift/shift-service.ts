import type { RxCollection } from 'rxdb';
import { refusalReasons } from '../../domain/checks';
import type { Crossing, Registration } from '../../domain/records';
import { stationCollections, type StationCollection } from '../../domain/sync';
import { ApiError } from '../api/errors';
import type { StationStore } from '../services/station-store';
import type { SyncStatus } from '../sync/sync-service';
import { SHIFT_PERIOD_DEFAULT_MS, UNSENT_LISTED_MAX, type ShiftSummary, type ShiftUnsent } from './shift-contract';

const HOUR = 3_600_000;

export interface ShiftServiceOptions {
  store: () => StationStore | null;
  /** The sync status now (main/sync): failures and the state, for "why is it unsent". */
  syncStatus: () => SyncStatus;
  /** The station clock (tests move it). */
  now?: () => number;
}

type CountByCode = ShiftSummary['refusalsByReason'];

function countsByCode(codes: Iterable<string>): CountByCode {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  // Most first, then by code, so that the chart reads from the top.
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** One bucket per hour of the period, from the hour `from` falls in, empty hours included (a chart shows the quiet hours too). */
function countsByHour(from: number, to: number, instants: readonly number[]): ShiftSummary['registrations']['byHour'] {
  const first = Math.floor(from / HOUR) * HOUR;
  const buckets: ShiftSummary['registrations']['byHour'] = [];
  for (let hourStart = first; hourStart < to; hourStart += HOUR) buckets.push({ hourStart, count: 0 });
  for (const instant of instants) {
    const bucket = buckets[Math.floor((instant - first) / HOUR)];
    if (bucket) bucket.count++;
  }
  return buckets;
}

/**
 * Whether a stored check is a watchlist hit. Crossings store the checks that ran as
 * { check, severity, outcome }; the watchlist check is named 'watchlist' (a hit fails it),
 * or 'watchlist.hit' / 'watchlistHit' when the possible matches are stored beside it:
 * a possible match below the hit threshold is not a hit and is not counted.
 */
export function isWatchlistHit(check: Crossing['checks'][number]): boolean {
  const name = check.check.toLowerCase().replace(/[^a-z]/g, '');
  return check.outcome === 'failed' && (name === 'watchlist' || name === 'watchlisthit');
}

/**
 * The supervisor's shift view (issue 9): the shift's numbers from the station's own store,
 * and what is still unsent and why. Everything it answers is counts, record ids, kinds and
 * times, never a traveller's data, so neither request is in the audit trail.
 */
export class ShiftService {
  private readonly now: () => number;

  constructor(private readonly options: ShiftServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The shift's numbers for [from, to): records are counted by when they were made here
   * (createdAt, the station clock: the shift's work, which is what the supervisor signs).
   */
  async summary(period: { from?: number; to?: number }): Promise<ShiftSummary> {
    const database = this.database();
    const to = period.to ?? this.now();
    const from = period.from ?? to - SHIFT_PERIOD_DEFAULT_MS;
    if (from >= to) throw new ApiError('INVALID_INPUT', 'The period must end after it starts.', [{ path: 'to', message: 'The period must end after it starts.' }]);
    const inPeriod = { createdAt: { $gte: from, $lt: to } };
    const [registrations, periodCrossings, lookups, officers] = await Promise.all([
      database.registrations.find({ selector: inPeriod }).exec(),
      database.crossings.find({ selector: inPeriod }).exec(),
      database.audit.find({ selector: { ...inPeriod, action: 'person.lookup' } }).exec(),
      database.officers.find().exec(),
    ]);
    // A corrected crossing counts once, as its correction: the originals a later crossing corrects are left out.
    const corrected = new Set(
      (await database.crossings.find({ selector: { correctsId: { $in: periodCrossings.map((crossing) => crossing.id) } } }).exec()).map((correction) => correction.correctsId),
    );
    const crossings: Crossing[] = periodCrossings.filter((crossing) => !corrected.has(crossing.id));
    const inForce: Registration[] = registrations.filter((registration) => registration.status !== 'cancelled');
    const refused = crossings.filter((crossing) => crossing.decision.outcome === 'refused');
    const reasons = refused.flatMap((crossing) => (crossing.decision.outcome === 'refused' ? crossing.decision.reasons : []));
    const reasonCounts = new Map(countsByCode(reasons).map((entry) => [entry.code, entry.count]));

    const perOfficer = new Map<string, { registrations: number; crossings: number }>();
    const tally = (officerId: string, kind: 'registrations' | 'crossings'): void => {
      const counts = perOfficer.get(officerId) ?? { registrations: 0, crossings: 0 };
      counts[kind]++;
      perOfficer.set(officerId, counts);
    };
    for (const registration of inForce) tally(registration.officerId, 'registrations');
    for (const crossing of crossings) tally(crossing.officerId, 'crossings');
    const officerNames = new Map(officers.map((officer) => [officer.id, officer.name]));

    return {
      from,
      to,
      registrations: {
        total: inForce.length,
        cancelled: registrations.length - inForce.length,
        byNationality: countsByCode(inForce.map((registration) => registration.person.nationality)),
        byHour: countsByHour(from, to, inForce.map((registration) => registration.createdAt)),
      },
      crossings: {
        total: crossings.length,
        entries: crossings.filter((crossing) => crossing.direction === 'entry').length,
        exits: crossings.filter((crossing) => crossing.direction === 'exit').length,
        refused: refused.length,
        corrections: crossings.filter((crossing) => crossing.correctsId !== '').length,
        byNationality: countsByCode(crossings.map((crossing) => crossing.person.nationality)),
        byHour: countsByHour(from, to, crossings.map((crossing) => crossing.createdAt)),
      },
      refusalsByReason: refusalReasons.map(({ code }) => ({ code, count: reasonCounts.get(code) ?? 0 })),
      watchlist: {
        crossingsWithHit: crossings.filter((crossing) => crossing.checks.some(isWatchlistHit)).length,
        lookups: lookups.length,
        lookupsWithCandidates: lookups.filter((entry) => Number(entry.details.watchlistCandidates ?? '0') > 0).length,
      },
      officers: [...perOfficer]
        .map(([officerId, counts]) => ({ officerId, name: officerNames.get(officerId) ?? null, ...counts }))
        .sort((a, b) => b.registrations + b.crossings - (a.registrations + a.crossings) || a.officerId.localeCompare(b.officerId)),
    };
  }

  /**
   * The records saved here that the server has not confirmed (receivedAt 0, as sync
   * counts them), with why: the server's refusal of that very record when sync reported
   * one, else the collection's last failure (server unreachable, a timeout …).
   */
  async unsent(): Promise<ShiftUnsent> {
    const database = this.database();
    const status = this.options.syncStatus();
    const failureOf = new Map(status.collections.map((collection) => [collection.collection, collection.lastFailure]));
    // Refusals name their record; the newest refusal of a record is its reason.
    const refusals = new Map<string, SyncStatus['failures'][number]>();
    for (const failure of [...status.failures].reverse()) if (failure.recordId) refusals.set(failure.recordId, failure);

    const collections: ShiftUnsent['collections'] = [];
    const records: ShiftUnsent['records'] = [];
    for (const name of stationCollections) {
      const collection = database.collections[name] as unknown as RxCollection<{ id: string; officerId: string; createdAt: number; updatedAt?: number; receivedAt: number }>;
      const lastFailure = failureOf.get(name) ?? null;
      const pending = await collection.count({ selector: { receivedAt: 0 } }).exec();
      collections.push({ collection: name, pending, lastFailure: lastFailure && { code: lastFailure.code, message: lastFailure.message, at: lastFailure.at } });
      if (pending === 0) continue;
      const unsentRecords = await collection.find({ selector: { receivedAt: 0 }, sort: [{ createdAt: 'asc' }], limit: UNSENT_LISTED_MAX }).exec();
      for (const record of unsentRecords) {
        records.push({
          collection: name,
          id: record.id,
          officerId: record.officerId,
          createdAt: record.createdAt,
          changedAt: record.updatedAt ?? record.createdAt,
          reason: this.reasonOf(name, record.id, refusals, lastFailure),
        });
      }
    }
    records.sort((a, b) => a.createdAt - b.createdAt);
    return { syncState: status.state, syncProblem: status.problem, collections, records: records.slice(0, UNSENT_LISTED_MAX) };
  }

  private reasonOf(collection: StationCollection, id: string, refusals: Map<string, SyncStatus['failures'][number]>, lastFailure: SyncStatus['failures'][number] | null): ShiftUnsent['records'][number]['reason'] {
    const refusal = refusals.get(id);
    if (refusal && refusal.collection === collection) return { code: refusal.code, message: refusal.message, at: refusal.at, refused: true };
    if (lastFailure) return { code: lastFailure.code, message: lastFailure.message, at: lastFailure.at, refused: false };
    return null;
  }

  private database() {
    const store = this.options.store();
    if (!store) throw new ApiError('STORE_UNAVAILABLE', 'The station store is not open (see the station page), so the shift cannot be counted.');
    return store.database;
  }
}
