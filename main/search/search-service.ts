import { randomUUID } from 'node:crypto';
import type { MangoQuerySelector, RxCollection } from 'rxdb';
import type { Crossing, Registration } from '../../domain/records';
import { documentNumberKey } from '../../domain/records';
import { compareBirthDates, packBirthDate } from '../../domain/watchlist/birth-date';
import { QueryName } from '../../domain/watchlist/traveller-name';
import { ApiError } from '../api/errors';
import type { StationStore } from '../services/station-store';
import { surnameKeyRanges } from './name-blocks';
import type { SearchCriteria, SearchPage, SearchResult } from './search-contract';

/** Appends to the audit trail (compose.ts); never given personal data. */
export type SearchAudit = (officerId: string, action: string, details: Record<string, string>) => Promise<void>;

export interface SearchServiceOptions {
  store: () => StationStore | null;
  audited: SearchAudit;
  /** The station clock (tests move it). */
  now?: () => number;
}

type Kind = SearchResult['kind'];
type StoredRecord = Registration | Crossing;

/**
 * A search by name or document number is ranked: its candidates are read once, scored
 * and kept in order. Past this many candidates the officer is asked to narrow it, as
 * nobody reads ten thousand "possible matches" of a name.
 */
export const MAX_RANKED_CANDIDATES = 10_000;
/** Searches are kept this long after their last page was read, then run again. */
const SEARCH_IDLE_MS = 30 * 60_000;
/** The most searches kept per officer (the newest). */
const SEARCHES_PER_OFFICER = 5;

/** One collection as a search reads it: which records, and by which date they are ordered. */
interface Source {
  kind: Kind;
  collection: RxCollection<StoredRecord>;
  dateField: 'arrivalAt' | 'occurredAt';
  selector: MangoQuerySelector<StoredRecord>;
  /**
   * The same records as the selector, as several selectors whose results together make
   * them: one per nameKey range of a name search. SQLite answers each range from the
   * index; one query with all of them in an $or is planned as a scan (1.1 s against
   * 0.17 s for 129 ranges over 40,000 registrations on our build machine).
   */
  lookups: MangoQuerySelector<StoredRecord>[];
  total: number;
}

/** Name or document number given: every match scored and held in order. */
interface RankedSearch {
  mode: 'ranked';
  rows: SearchResult[];
}

/**
 * Date of birth or period only: every match is as relevant as the next, newest first,
 * and there can be a hundred thousand of them, so pages are read from the date indexes
 * when asked for (see page()).
 */
interface DatedSearch {
  mode: 'dated';
  registrations: Source;
  crossings: Source;
  /** Row offset → how many registrations come before it: found once, reused. */
  registrationsBefore: Map<number, number>;
}

interface KeptSearch {
  officerId: string;
  usedAt: number;
  search: RankedSearch | DatedSearch;
}

function summaryOf(kind: Kind, record: StoredRecord, relevance: number): SearchResult {
  const crossing = kind === 'crossing' ? (record as Crossing) : null;
  const registration = kind === 'registration' ? (record as Registration) : null;
  return {
    id: record.id,
    kind,
    surname: record.person.surname,
    givenNames: record.person.givenNames,
    nationality: record.person.nationality,
    birthDate: record.person.birthDate,
    documentNumber: record.document.documentNumber,
    issuingState: record.document.issuingState,
    at: crossing ? crossing.occurredAt : (registration?.arrivalAt ?? 0),
    status: crossing ? crossing.decision.outcome : (registration?.status ?? ''),
    direction: crossing ? crossing.direction : null,
    relevance,
  };
}

/** Newest first; equal times by id, so that the order, and with it every page, is stable. */
function comesBefore(a: Pick<SearchResult, 'at' | 'id'>, b: Pick<SearchResult, 'at' | 'id'>): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** 'YYYY-MM-DD' finds that day and records that know only its month or year; 'YYYY' finds the whole year. */
function birthDateSelector(birthDate: string): Record<string, unknown> {
  const knownOnlyPartly = birthDate.length === 10 ? [birthDate.slice(0, 7), birthDate.slice(0, 4)] : birthDate.length === 7 ? [birthDate.slice(0, 4)] : [];
  // '.' follows '-', so [date, date + '.') holds the date and every longer one it starts.
  const within = { 'person.birthDate': { $gte: birthDate, $lt: `${birthDate}.` } };
  return knownOnlyPartly.length === 0 ? within : { $or: [within, { 'person.birthDate': { $in: knownOnlyPartly } }] };
}

function periodSelector(dateField: Source['dateField'], from: number | undefined, to: number | undefined): Record<string, unknown> | null {
  if (from === undefined && to === undefined) return null;
  return { [dateField]: { ...(from !== undefined ? { $gte: from } : {}), ...(to !== undefined ? { $lt: to } : {}) } };
}

/** The names of the criteria used, for the audit trail: never their values. */
function criteriaUsed(criteria: SearchCriteria): string {
  const used: string[] = [];
  if (criteria.documentNumber) used.push('documentNumber');
  if (criteria.surname) used.push('surname');
  if (criteria.givenNames) used.push('givenNames');
  if (criteria.birthDate) used.push('birthDate');
  if (criteria.from !== undefined) used.push('from');
  if (criteria.to !== undefined) used.push('to');
  return used.join(',');
}

/** How well one record agrees with the name and document criteria; null when it does not. */
class Scorer {
  private readonly surname: QueryName | null;
  private readonly givenNames: QueryName | null;
  private readonly birthDate: number;
  // Surnames and given names repeat; reading a name costs more than comparing it.
  private readonly readNames = new Map<string, QueryName>();

  constructor(private readonly criteria: SearchCriteria, private readonly documentKey: string) {
    this.surname = criteria.surname ? new QueryName(criteria.surname) : null;
    this.givenNames = criteria.givenNames ? new QueryName(criteria.givenNames) : null;
    this.birthDate = criteria.birthDate ? packBirthDate(criteria.birthDate) : 0;
  }

  score(record: StoredRecord): number | null {
    const scores: number[] = [];
    if (this.documentKey) {
      const stored = record.document.documentNumber;
      if (!stored.startsWith(this.documentKey)) return null;
      // The whole number is a certain match; its start less so, the shorter the less.
      scores.push(stored === this.documentKey ? 1 : 0.5 + (0.4 * this.documentKey.length) / stored.length);
    }
    for (const [query, name] of [
      [this.surname, record.person.surname],
      [this.givenNames, record.person.givenNames],
    ] as const) {
      if (!query) continue;
      const comparison = query.compare(this.read(name).readings[0]!);
      // A record without given names neither agrees nor differs (similarity 0.5).
      if (comparison.agreement === 'differs') return null;
      scores.push(comparison.similarity);
    }
    if (this.criteria.birthDate) scores.push(compareBirthDates(this.birthDate, packBirthDate(record.person.birthDate)).similarity);
    const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
    return Math.round(mean * 1000) / 1000;
  }

  private read(name: string): QueryName {
    let read = this.readNames.get(name);
    if (!read) {
      read = new QueryName(name);
      this.readNames.set(name, read);
    }
    return read;
  }
}

/**
 * Search (issue 9): registrations and crossings of this station by document number,
 * name (across scripts and transliterations, with typos), date of birth and period.
 * Every search is an access to personal data and is audited with the names of the
 * criteria and the number of results, never the values searched for.
 */
export class SearchService {
  private readonly now: () => number;
  private readonly kept = new Map<string, KeptSearch>();

  constructor(private readonly options: SearchServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  async run(officerId: string, criteria: SearchCriteria, limit: number): Promise<SearchPage> {
    const documentKey = criteria.documentNumber ? documentNumberKey(criteria.documentNumber) : '';
    if (criteria.documentNumber && !documentKey) {
      throw new ApiError('INVALID_INPUT', 'A document number has letters or digits.', [{ path: 'documentNumber', message: 'No letters or digits' }]);
    }
    if (criteria.surname && surnameKeyRanges(criteria.surname).length === 0) {
      throw new ApiError('INVALID_INPUT', 'The surname has no letters that can be searched.', [{ path: 'surname', message: 'No letters that can be searched' }]);
    }
    const ranked = Boolean(documentKey || criteria.surname);
    if (!ranked && !criteria.birthDate && criteria.from === undefined && criteria.to === undefined) {
      throw new ApiError('INVALID_INPUT', 'Give at least one thing to search by: a document number, a surname, a date of birth or a period.');
    }
    const sources = await this.sources(criteria, documentKey);
    const search = ranked ? await this.ranked(sources, new Scorer(criteria, documentKey)) : this.dated(sources);
    const total = search.mode === 'ranked' ? search.rows.length : sources.registrations.total + sources.crossings.total;
    // Searching people's records is an access to them: what was searched by and how much was found, never for whom.
    await this.options.audited(officerId, 'search.run', {
      criteria: criteriaUsed(criteria),
      kinds: (criteria.kinds ?? ['registration', 'crossing']).join(','),
      results: String(total),
    });
    const searchId = this.keep(officerId, search);
    return { searchId, total, offset: 0, rows: await this.rowsOf(search, 0, limit) };
  }

  async page(officerId: string, searchId: string, offset: number, limit: number): Promise<SearchPage> {
    const kept = this.kept.get(searchId);
    if (!kept || kept.officerId !== officerId || this.now() - kept.usedAt > SEARCH_IDLE_MS) {
      throw new ApiError('NOT_FOUND', 'These search results are no longer kept (they expire after 30 minutes): search again.');
    }
    kept.usedAt = this.now();
    const { search } = kept;
    const total = search.mode === 'ranked' ? search.rows.length : search.registrations.total + search.crossings.total;
    return { searchId, total, offset, rows: await this.rowsOf(search, offset, limit) };
  }

  private database() {
    const store = this.options.store();
    if (!store) throw new ApiError('STORE_UNAVAILABLE', 'The station store is not open (see the station status), so nothing can be searched now.');
    return store.database;
  }

  /** What each collection is asked for: the criteria as index lookups, filters in SQL where the store can. */
  private async sources(criteria: SearchCriteria, documentKey: string): Promise<{ registrations: Source; crossings: Source }> {
    const database = this.database();
    const kinds = criteria.kinds ?? ['registration', 'crossing'];
    const filters: Record<string, unknown>[] = [];
    if (documentKey) filters.push({ 'document.documentNumber': { $gte: documentKey, $lt: `${documentKey}[` } });
    if (criteria.birthDate) filters.push(birthDateSelector(criteria.birthDate));
    // A document number, or a full date of birth (a few dozen people a day even at a large
    // station), is the more selective index; the name is then checked by the scorer alone,
    // which also finds typos the name's index ranges cannot reach (two in its first letters).
    const byOtherIndex = Boolean(documentKey) || criteria.birthDate?.length === 10;
    const nameRanges = !byOtherIndex && criteria.surname ? surnameKeyRanges(criteria.surname).map((range) => ({ 'person.nameKey': range })) : [];
    // Nested paths and $or over them are beyond what RxDB's selector type can follow through StoredRecord.
    const selectorOf = (parts: Record<string, unknown>[]) => (parts.length === 1 ? parts[0] : { $and: parts }) as MangoQuerySelector<StoredRecord>;
    const source = async (kind: Kind, collection: RxCollection<StoredRecord>, dateField: Source['dateField']): Promise<Source> => {
      const period = periodSelector(dateField, criteria.from, criteria.to);
      const common = period ? [...filters, period] : filters;
      const selector = selectorOf(nameRanges.length > 0 ? [{ $or: nameRanges }, ...common] : common);
      const lookups = nameRanges.length > 0 ? nameRanges.map((range) => selectorOf([range, ...common])) : [selector];
      const total = kinds.includes(kind) ? await collection.count({ selector }).exec() : 0;
      return { kind, collection, dateField, selector, lookups, total };
    };
    return {
      registrations: await source('registration', database.registrations as unknown as RxCollection<StoredRecord>, 'arrivalAt'),
      crossings: await source('crossing', database.crossings as unknown as RxCollection<StoredRecord>, 'occurredAt'),
    };
  }

  private async ranked(sources: { registrations: Source; crossings: Source }, scorer: Scorer): Promise<RankedSearch> {
    const candidates = sources.registrations.total + sources.crossings.total;
    if (candidates > MAX_RANKED_CANDIDATES) {
      throw new ApiError(
        'INVALID_INPUT',
        `More than ${MAX_RANKED_CANDIDATES.toLocaleString('en')} records could match: add a date of birth, given names or a period to narrow the search.`,
      );
    }
    const rows: SearchResult[] = [];
    for (const source of [sources.registrations, sources.crossings]) {
      if (source.total === 0) continue;
      const seen = new Set<string>();
      for (const selector of source.lookups) {
        for (const document of await source.collection.find({ selector }).exec()) {
          // Ranges of names read differently (a short key and a longer one) can overlap.
          if (seen.has(document.id)) continue;
          seen.add(document.id);
          const record = document.toJSON() as StoredRecord;
          const relevance = scorer.score(record);
          if (relevance !== null) rows.push(summaryOf(source.kind, record, relevance));
        }
      }
    }
    rows.sort((a, b) => b.relevance - a.relevance || (comesBefore(a, b) ? -1 : comesBefore(b, a) ? 1 : 0));
    return { mode: 'ranked', rows };
  }

  private dated(sources: { registrations: Source; crossings: Source }): DatedSearch {
    return { mode: 'dated', ...sources, registrationsBefore: new Map([[0, 0]]) };
  }

  private async rowsOf(search: RankedSearch | DatedSearch, offset: number, limit: number): Promise<SearchResult[]> {
    if (search.mode === 'ranked') return search.rows.slice(offset, offset + limit);
    const { registrations, crossings } = search;
    if (offset >= registrations.total + crossings.total) return [];
    const fromRegistrations = await this.registrationsBefore(search, offset);
    const [someRegistrations, someCrossings] = await Promise.all([this.read(registrations, fromRegistrations, limit), this.read(crossings, offset - fromRegistrations, limit)]);
    const rows: SearchResult[] = [];
    let r = 0;
    let c = 0;
    while (rows.length < limit && (r < someRegistrations.length || c < someCrossings.length)) {
      const registration = someRegistrations[r];
      const crossing = someCrossings[c];
      if (registration && (!crossing || comesBefore(registration, crossing))) {
        rows.push(registration);
        r += 1;
      } else if (crossing) {
        rows.push(crossing);
        c += 1;
      }
    }
    // The next page starts where this one ended: a reader scrolling on needs no search for it.
    search.registrationsBefore.set(offset + rows.length, fromRegistrations + r);
    return rows;
  }

  /** `limit` records of one source in the search's order, from position `skip`. */
  private async read(source: Source, skip: number, limit: number): Promise<SearchResult[]> {
    if (source.total === 0 || skip >= source.total) return [];
    const documents = await source.collection.find({ selector: source.selector, sort: [{ [source.dateField]: 'desc' }, { id: 'desc' }] as never, skip, limit }).exec();
    return documents.map((document) => summaryOf(source.kind, document.toJSON() as StoredRecord, 1));
  }

  /**
   * How many registrations come before row `offset` of the merged, newest-first order.
   * The i-th registration sits at row i + (crossings before it), which grows with i, so
   * a binary search over i finds the split with about 2·log2(n) small queries (a
   * record read by its position on the date index and a count), whatever the offset:
   * a jump to the end of 100,000 rows reads no more than a page's records.
   */
  private async registrationsBefore(search: DatedSearch, offset: number): Promise<number> {
    const known = search.registrationsBefore.get(offset);
    if (known !== undefined) return known;
    const { registrations, crossings } = search;
    let low = Math.max(0, offset - crossings.total);
    let high = Math.min(offset, registrations.total);
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const [registration] = await this.read(registrations, middle, 1);
      if (!registration) {
        high = middle;
        continue;
      }
      const crossingsBefore = await this.countBefore(crossings, registration);
      if (middle + crossingsBefore < offset) low = middle + 1;
      else high = middle;
    }
    search.registrationsBefore.set(offset, low);
    return low;
  }

  /** Records of a source that come before the given row in the search's order. */
  private async countBefore(source: Source, row: Pick<SearchResult, 'at' | 'id'>): Promise<number> {
    if (source.total === 0) return 0;
    const before = { $or: [{ [source.dateField]: { $gt: row.at } }, { [source.dateField]: row.at, id: { $gt: row.id } }] };
    return source.collection.count({ selector: { $and: [source.selector, before] } as MangoQuerySelector<StoredRecord> }).exec();
  }

  /** Keeps the search for its pages; an officer's oldest searches and idle ones go. */
  private keep(officerId: string, search: RankedSearch | DatedSearch): string {
    const now = this.now();
    for (const [id, kept] of this.kept) if (now - kept.usedAt > SEARCH_IDLE_MS) this.kept.delete(id);
    const officersSearches = [...this.kept.entries()].filter(([, kept]) => kept.officerId === officerId);
    for (const [id] of officersSearches.slice(0, Math.max(0, officersSearches.length - SEARCHES_PER_OFFICER + 1))) this.kept.delete(id);
    const searchId = randomUUID();
    this.kept.set(searchId, { officerId, usedAt: now, search });
    return searchId;
  }
}
