import { normaliseForIndex } from '../names';

/**
 * The keys records are searched by, derived when a record is made so that the UI never
 * computes them and every writer computes them the same way.
 *
 * A person's nameKey is the surname's key and the given names' key (domain/names:
 * Latin, no diacritics, upper case, transliterations folded: Đurić, DJURIC and Ђурић
 * all give DURIC) joined by '<<', as in the MRZ: DURIC<<ANAMARIJA. One index then
 * answers both an exact name (equality) and a surname alone (the range of keys that
 * start with DURIC<<). Each part is cut at 48 letters to keep the index small; cutting
 * the query the same way, a long name still finds itself.
 */
const PART_MAX_LENGTH = 48;
const SEPARATOR = '<<';

export const NAME_KEY_MAX_LENGTH = PART_MAX_LENGTH * 2 + SEPARATOR.length;
export const PERSON_NAME_KEY_PATTERN = `^[A-Z]{0,${PART_MAX_LENGTH}}${SEPARATOR}[A-Z]{0,${PART_MAX_LENGTH}}$`;

// Names repeat (a border sees the same surnames all day; imports and benchmarks write
// millions of records), and transliteration costs microseconds: remember recent keys.
// Cleared when full rather than kept least-recently-used: simpler, and as good for
// names, whose frequencies barely change.
const recentKeys = new Map<string, string>();
const RECENT_KEYS_LIMIT = 50_000;

function namePartKey(name: string): string {
  let key = recentKeys.get(name);
  if (key === undefined) {
    if (recentKeys.size >= RECENT_KEYS_LIMIT) recentKeys.clear();
    key = normaliseForIndex(name).slice(0, PART_MAX_LENGTH);
    recentKeys.set(name, key);
  }
  return key;
}

export function personNameKey(surname: string, givenNames: string): string {
  return namePartKey(surname) + SEPARATOR + namePartKey(givenNames);
}

/**
 * The nameKey range holding every person with this surname, whatever their given
 * names, as a Mango selector: `{ 'person.nameKey': surnameKeyRange('Đurić') }`.
 * '<' + 1 is '=', so the range ends just after the last DURIC<<... key.
 */
export function surnameKeyRange(surname: string): { $gte: string; $lt: string } {
  const prefix = namePartKey(surname);
  return { $gte: prefix + SEPARATOR, $lt: `${prefix}<=` };
}

/**
 * A document number as records store and search it: upper case, letters and digits
 * only, so 'ab 123-456' typed at the counter finds the AB123456 the reader read.
 */
export function documentNumberKey(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
