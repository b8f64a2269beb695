import { nameIndexParts, primaryReading } from '../names';
import { deletionHashes, keyHash } from './key-hash';
import type { ComparableName } from './person-similarity';
import { type PostingTable, PostingTableBuilder } from './posting-table';

/**
 * Every distinct name of the watchlist (surnames and given names together), each with
 * a number. A million alerts hold far fewer distinct names, so fuzzy lookups and name
 * comparisons run over names, once each, and only then fan out to the alerts.
 *
 * Names are posted under their canonical key and every one-letter deletion of it
 * (SymSpell): two keys one or two edits apart share a deletion. Names of several parts
 * are also posted under each part, so that CRUZ finds DE LA CRUZ.
 */
// Deletions are taken from the first letters only; later typos leave the prefix intact.
const BLOCKING_PREFIX = 12;
const MIN_PART_LENGTH = 3;

/** Name number 0 is the empty name: an alert without given names points there. */
export const NO_NAME = 0;

function prefix(key: string): string {
  return key.length > BLOCKING_PREFIX ? key.slice(0, BLOCKING_PREFIX) : key;
}

export function nameLookupHashes(whole: string, parts: readonly string[] | undefined, into: number[]): void {
  if (whole === '') return;
  deletionHashes(prefix(whole), into);
  for (const part of parts ?? []) if (part.length >= MIN_PART_LENGTH) into.push(keyHash(part, -1));
}

export class NameDictionaryBuilder {
  private readonly numbers = new Map<string, number>([['', NO_NAME]]);
  private readonly numberOfWritten = new Map<string, number>([['', NO_NAME]]);
  readonly wholes: string[] = [''];
  readonly parts: (readonly string[] | undefined)[] = [undefined];
  readonly readings: (string | undefined)[] = [undefined];

  /** The number of a name as an alert writes it; Đurić and DJURIC share one. */
  add(written: string): number {
    const known = this.numberOfWritten.get(written);
    if (known !== undefined) return known;
    const parts = nameIndexParts(written);
    const whole = parts.join('');
    let number = this.numbers.get(whole);
    if (number === undefined) {
      number = this.wholes.length;
      this.numbers.set(whole, number);
      this.wholes.push(whole);
      this.parts.push(parts.length > 1 ? parts : undefined);
      // Kept only where folding changed the name: the reading is then a second view of it.
      const reading = primaryReading(written).replace(/ /g, '');
      this.readings.push(reading === whole ? undefined : reading);
    }
    this.numberOfWritten.set(written, number);
    return number;
  }

  build(): NameDictionary {
    const postings = new PostingTableBuilder();
    const hashes: number[] = [];
    for (let number = 1; number < this.wholes.length; number++) {
      hashes.length = 0;
      nameLookupHashes(this.wholes[number] ?? '', this.parts[number], hashes);
      for (const hash of hashes) postings.add(hash, number);
    }
    return new NameDictionary(this.wholes, this.parts, this.readings, postings.build());
  }
}

export class NameDictionary {
  constructor(
    private readonly wholes: readonly string[],
    private readonly nameParts: readonly (readonly string[] | undefined)[],
    private readonly readings: readonly (string | undefined)[],
    readonly postings: PostingTable,
  ) {}

  get size(): number {
    return this.wholes.length;
  }

  /** A view of name `number`, for comparing; `into` is reused so that a query allocates nothing per name. */
  view(number: number, into: DictionaryNameView = new DictionaryNameView()): DictionaryNameView {
    into.whole = this.wholes[number] ?? '';
    into.nameParts = this.nameParts[number];
    into.reading = this.readings[number];
    return into;
  }
}

export class DictionaryNameView implements ComparableName {
  whole = '';
  nameParts: readonly string[] | undefined;
  reading: string | undefined;

  parts(): readonly string[] | undefined {
    return this.nameParts;
  }

  unfoldedReading(): string | undefined {
    return this.reading;
  }
}
