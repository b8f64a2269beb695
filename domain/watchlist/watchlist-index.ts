import { defaultRules, type Rules } from '../rules';
import { TimeError } from '../time';
import type { MatchReason, TravellerQuery, WatchlistAlert, WatchlistCandidate } from './alerts';
import { birthYear, compareBirthDates, packBirthDate } from './birth-date';
import { misreadKey, normaliseDocumentNumber } from './document-number';
import { explainDocumentMatch, explainPersonMatch } from './explanations';
import { DictionaryNameView, NO_NAME, type NameDictionary, NameDictionaryBuilder, nameLookupHashes } from './name-dictionary';
import { type PeopleByName, forEachWithName, forEachWithNameBornIn, groupByName } from './people-by-name';
import {
  CEILING_WITH_ONE_NAME_DIFFERING,
  type NameAgreement,
  ONE_NAME_DIFFERS_FACTOR,
  PERSON_WEIGHTS,
  SWAPPED_NAMES_FACTOR,
} from './person-similarity';
import { QueryName } from './traveller-name';

/**
 * The watchlist matcher. A query runs in three steps, none of which looks at the whole
 * list:
 * 1. Names: each of the traveller's names is looked up in the dictionary of distinct
 *    names by its deletion keys (typos), parts and canonical key (transliterations);
 *    every name found is compared once.
 * 2. Alerts: the alerts carrying a similar name, as surname (either of the traveller's
 *    names, to catch names written the other way round), or as given names together
 *    with the traveller's birth year (to catch a surname mistyped beyond recognition
 *    without drowning in everyone called Mohamed).
 * 3. Score: names from step 1, then birth date and nationality for those still in the
 *    running; the best are explained.
 */
export interface AlertProblem {
  alertId: string;
  problem: string;
}

export interface WatchlistSearchOptions {
  /** At most this many candidates, best first (default 20). */
  limit?: number;
  /** Lowest score returned (default: the rules' candidate threshold). */
  minScore?: number;
}

export interface WatchlistIndex {
  readonly size: number;
  readonly distinctNames: number;
  /** Alerts indexed with a field left out because it could not be read. */
  readonly problems: readonly AlertProblem[];
  search(traveller: TravellerQuery, options?: WatchlistSearchOptions): WatchlistCandidate[];
}

const AGREEMENTS: readonly NameAgreement[] = ['exact', 'typo', 'part', 'unknown', 'differs'];
const EXACT = AGREEMENTS.indexOf('exact');
const DIFFERS = AGREEMENTS.indexOf('differs');

interface PersonMatch {
  alertNumber: number;
  score: number;
  swapped: boolean;
}

/** Comparisons of one of the traveller's names with dictionary names, made at most once per query. */
class ComparisonMemo {
  readonly stamps: Uint32Array;
  readonly agreements: Uint8Array;
  readonly similarities: Float32Array;
  queryName: QueryName = new QueryName('');

  constructor(names: number) {
    this.stamps = new Uint32Array(names);
    this.agreements = new Uint8Array(names);
    this.similarities = new Float32Array(names);
  }
}

class WatchlistMatcher implements WatchlistIndex {
  readonly problems: AlertProblem[] = [];
  private readonly names: NameDictionary;
  private readonly surnameOf: Int32Array;
  private readonly givenNamesOf: Int32Array;
  private readonly births: Int32Array;
  private readonly yearOf: Int32Array;
  private readonly nationalities: Uint16Array;
  private readonly nationalityCodes: string[] = [''];
  private readonly documentNumbers: string[];
  private readonly documentsByNumber = new Map<string, number[]>();
  private readonly bySurname: PeopleByName;
  private readonly byGivenNames: PeopleByName;
  // Stamps of the last query: dedupe alerts and comparisons without a Set per query.
  private readonly seen: Uint32Array;
  // For the traveller's surname and given names.
  private readonly surnameMemo: ComparisonMemo;
  private readonly givenNamesMemo: ComparisonMemo;
  private stamp = 0;
  private readonly view = new DictionaryNameView();

  constructor(
    private readonly alerts: readonly WatchlistAlert[],
    private readonly rules: Rules,
  ) {
    const count = alerts.length;
    this.surnameOf = new Int32Array(count);
    this.givenNamesOf = new Int32Array(count);
    this.births = new Int32Array(count);
    this.yearOf = new Int32Array(count);
    this.nationalities = new Uint16Array(count);
    this.documentNumbers = new Array<string>(count).fill('');
    this.seen = new Uint32Array(count);
    const isPerson = new Uint8Array(count);
    const dictionary = new NameDictionaryBuilder();
    const nationalityNumbers = new Map<string, number>([['', 0]]);

    alerts.forEach((alert, n) => {
      if (alert.subject === 'document') {
        const number = normaliseDocumentNumber(alert.documentNumber);
        this.documentNumbers[n] = number;
        if (number === '') {
          this.problems.push({ alertId: alert.alertId, problem: 'document alert without a document number' });
          return;
        }
        const key = misreadKey(number);
        const sameKey = this.documentsByNumber.get(key);
        if (sameKey) sameKey.push(n);
        else this.documentsByNumber.set(key, [n]);
        return;
      }
      isPerson[n] = 1;
      this.surnameOf[n] = dictionary.add(alert.surname);
      this.givenNamesOf[n] = dictionary.add(alert.givenNames);
      if (this.surnameOf[n] === NO_NAME && this.givenNamesOf[n] === NO_NAME) {
        this.problems.push({ alertId: alert.alertId, problem: 'person alert without a readable name' });
      }
      this.births[n] = this.readBirthDate(alert.alertId, alert.birthDate);
      this.yearOf[n] = birthYear(this.births[n] ?? 0);
      this.nationalities[n] = this.nationalityNumber(nationalityNumbers, alert.nationality);
    });
    this.names = dictionary.build();
    this.bySurname = groupByName(this.surnameOf, isPerson, this.names.size);
    this.byGivenNames = groupByName(this.givenNamesOf, isPerson, this.names.size, this.yearOf);
    this.surnameMemo = new ComparisonMemo(this.names.size);
    this.givenNamesMemo = new ComparisonMemo(this.names.size);
  }

  get size(): number {
    return this.alerts.length;
  }

  get distinctNames(): number {
    return this.names.size;
  }

  private readBirthDate(alertId: string, text: string | undefined): number {
    try {
      return packBirthDate(text);
    } catch (error) {
      // One unreadable date must not keep a million alerts out of the index; the alert
      // is still found by name, and the problem is listed for the supervisor.
      if (!(error instanceof TimeError)) throw error;
      this.problems.push({ alertId, problem: `date of birth not read: ${error.message}` });
      return 0;
    }
  }

  private nationalityNumber(numbers: Map<string, number>, code: string | undefined): number {
    const key = (code ?? '').trim().toUpperCase();
    let number = numbers.get(key);
    if (number === undefined) {
      number = this.nationalityCodes.length;
      this.nationalityCodes.push(key);
      numbers.set(key, number);
    }
    return number;
  }

  search(traveller: TravellerQuery, options: WatchlistSearchOptions = {}): WatchlistCandidate[] {
    const minScore = options.minScore ?? this.rules.watchlist.candidateThreshold;
    const limit = options.limit ?? 20;
    this.surnameMemo.queryName = new QueryName(traveller.surname);
    this.givenNamesMemo.queryName = new QueryName(traveller.givenNames);
    const birth = packBirthDate(traveller.birthDate);
    const nationality = (traveller.nationality ?? '').trim().toUpperCase();
    const documentNumber = normaliseDocumentNumber(traveller.documentNumber ?? '');
    const issuingState = (traveller.issuingState ?? '').trim().toUpperCase();

    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) {
      this.seen.fill(0);
      this.surnameMemo.stamps.fill(0);
      this.givenNamesMemo.stamps.fill(0);
    }

    const ranked: { alertNumber: number; score: number; swapped: boolean }[] = [];
    const consider = (n: number): void => {
      if (this.seen[n] === this.stamp) return;
      this.seen[n] = this.stamp;
      const match = this.personScore(n, birth, nationality, minScore);
      if (match) ranked.push(match);
    };
    const years = birthYear(birth) === 0 ? [0] : [birthYear(birth), 0];
    // Both lists before any alert is scored: scoring fills the memos, and a name already
    // compared would no longer be listed.
    const similar = new Set([...this.similarNames(this.surnameMemo), ...this.similarNames(this.givenNamesMemo)]);
    for (const name of similar) {
      // As a surname: in place for the traveller's surname, the other way round for the given names.
      forEachWithName(this.bySurname, name, consider);
      // As given names, with the birth year: the other way round, or in place for a mistyped surname.
      for (const year of years) forEachWithNameBornIn(this.byGivenNames, this.yearOf, name, year, consider);
    }
    for (const n of this.documentsByNumber.get(misreadKey(documentNumber)) ?? []) {
      const score = this.documentScore(n, documentNumber, issuingState);
      if (documentNumber !== '' && score >= minScore) ranked.push({ alertNumber: n, score, swapped: false });
    }

    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, limit).flatMap((match) => {
      const alert = this.alerts[match.alertNumber];
      if (!alert) return [];
      const reasons = this.explain(match, alert, traveller, birth, nationality, documentNumber, issuingState);
      return [{ alert, score: Math.round(match.score * 1000) / 1000, reasons }];
    });
  }

  /** Dictionary names near one of the traveller's names (not 'differs'), each compared once. */
  private similarNames(memo: ComparisonMemo): number[] {
    const similar: number[] = [];
    if (memo.queryName.isEmpty) return similar;
    const hashes: number[] = [];
    for (const reading of memo.queryName.readings) nameLookupHashes(reading.whole, reading.parts(), hashes);
    for (const hash of hashes) {
      this.names.postings.forEach(hash, (name) => {
        if (memo.stamps[name] === this.stamp) return;
        this.compare(memo, name);
        if (memo.agreements[name] !== DIFFERS) similar.push(name);
      });
    }
    return similar;
  }

  /** Fills the memo for one dictionary name; later calls in the same query are free. */
  private compare(memo: ComparisonMemo, name: number): void {
    if (memo.stamps[name] === this.stamp) return;
    const comparison = memo.queryName.compare(this.names.view(name, this.view));
    memo.stamps[name] = this.stamp;
    memo.agreements[name] = AGREEMENTS.indexOf(comparison.agreement);
    memo.similarities[name] = comparison.similarity;
  }

  private personScore(n: number, birth: number, nationality: string, minScore: number): PersonMatch | null {
    const surname = this.surnameOf[n] ?? 0;
    const givenNames = this.givenNamesOf[n] ?? 0;
    // Once one name differs, the alert cannot reach the threshold: stop comparing there.
    const stopAtDiffering = CEILING_WITH_ONE_NAME_DIFFERING < minScore;
    let bestNames = -1;
    let bestDiffers = false;
    let bestSwapped = false;
    for (let turn = 0; turn < 2; turn++) {
      const swapped = turn === 1;
      const s = swapped ? this.givenNamesMemo : this.surnameMemo;
      const g = swapped ? this.surnameMemo : this.givenNamesMemo;
      this.compare(s, surname);
      const surnameDiffers = s.agreements[surname] === DIFFERS;
      if (stopAtDiffering && surnameDiffers) continue;
      this.compare(g, givenNames);
      const givenNamesDiffer = g.agreements[givenNames] === DIFFERS;
      if (stopAtDiffering && givenNamesDiffer) continue;
      const differs = surnameDiffers || givenNamesDiffer;
      let names = PERSON_WEIGHTS.surname * (s.similarities[surname] ?? 0) + PERSON_WEIGHTS.givenNames * (g.similarities[givenNames] ?? 0);
      if (swapped) names *= SWAPPED_NAMES_FACTOR;
      if (differs) names *= ONE_NAME_DIFFERS_FACTOR;
      if (names > bestNames) {
        bestNames = names;
        bestDiffers = differs;
        bestSwapped = swapped;
      }
      // Both names exact in place: the other way round cannot score higher.
      if (!swapped && s.agreements[surname] === EXACT && g.agreements[givenNames] === EXACT) break;
    }
    if (bestNames < 0 || bestNames + PERSON_WEIGHTS.birthDate + PERSON_WEIGHTS.nationality < minScore) return null;
    const birthSimilarity = compareBirthDates(birth, this.births[n] ?? 0).similarity;
    let evidence = PERSON_WEIGHTS.birthDate * birthSimilarity + PERSON_WEIGHTS.nationality * this.nationalitySimilarity(n, nationality);
    if (bestDiffers) evidence *= ONE_NAME_DIFFERS_FACTOR;
    const score = bestNames + evidence;
    return score >= minScore ? { alertNumber: n, score, swapped: bestSwapped } : null;
  }

  private nationalitySimilarity(n: number, nationality: string): number {
    const alertNationality = this.nationalityCodes[this.nationalities[n] ?? 0] ?? '';
    if (alertNationality === '' || nationality === '') return 0.5;
    return alertNationality === nationality ? 1 : 0;
  }

  private documentScore(n: number, documentNumber: string, issuingState: string): number {
    const alert = this.alerts[n];
    if (alert?.subject !== 'document') return 0;
    const number = this.documentNumbers[n] ?? '';
    let score: number;
    if (number === documentNumber) score = 1;
    else if (misreadKey(number) === misreadKey(documentNumber)) score = 0.9;
    else return 0;
    const state = (alert.issuingState ?? '').trim().toUpperCase();
    // The same number from another state is most likely another document.
    if (state !== '' && issuingState !== '' && state !== issuingState) score *= 0.7;
    return score;
  }

  private explain(
    match: PersonMatch,
    alert: WatchlistAlert,
    traveller: TravellerQuery,
    birth: number,
    nationality: string,
    documentNumber: string,
    issuingState: string,
  ): MatchReason[] {
    const n = match.alertNumber;
    if (alert.subject === 'document') return explainDocumentMatch(alert, this.documentNumbers[n] ?? '', documentNumber, issuingState);
    const [forSurname, forGivenNames] = match.swapped ? [this.givenNamesMemo, this.surnameMemo] : [this.surnameMemo, this.givenNamesMemo];
    return explainPersonMatch(alert, traveller, {
      swapped: match.swapped,
      surname: forSurname.queryName.compare(this.names.view(this.surnameOf[n] ?? 0)),
      givenNames: forGivenNames.queryName.compare(this.names.view(this.givenNamesOf[n] ?? 0)),
      travellerBirth: birth,
      alertBirth: this.births[n] ?? 0,
      travellerNationality: nationality,
      alertNationality: this.nationalityCodes[this.nationalities[n] ?? 0] ?? '',
    });
  }
}

/** Builds the in-memory index; alerts are referenced, not copied, and returned with each candidate. */
export function buildWatchlistIndex(alerts: readonly WatchlistAlert[], rules: Rules = defaultRules): WatchlistIndex {
  return new WatchlistMatcher(alerts, rules);
}
