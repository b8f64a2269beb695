import { nameSearchKeys } from '../../domain/names';
import { typosAllowed } from '../../domain/watchlist/edit-distance';

/**
 * Which ranges of the person.nameKey index can hold a surname the officer typed,
 * typos included. The index is sorted, so it answers "keys that start with …" and
 * nothing fuzzier; the candidates it gives are then compared with the watchlist's own
 * name comparison (domain/watchlist), which decides what matches.
 *
 * A typo after the first BLOCK_LENGTH letters leaves that prefix intact, so the prefix
 * finds the record. A typo within the prefix changes it: every prefix one edit away
 * (a letter left out, added, changed, or two swapped) is looked up too. That is a
 * couple of hundred short index ranges, most of them empty, instead of a read of the
 * whole collection. Two typos both inside the first letters are not found; the
 * watchlist allows two typos only in names of eight letters or more, where that is rare.
 */
const BLOCK_LENGTH = 3;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// '[' follows 'Z' and '<' (the separator of nameKey), so [prefix, prefix + '[') holds every key that starts with prefix.
const AFTER_EVERY_KEY_LETTER = '[';

export interface KeyRange {
  $gte: string;
  $lt: string;
}

function startsWith(prefix: string): KeyRange {
  return { $gte: prefix, $lt: prefix + AFTER_EVERY_KEY_LETTER };
}

/** The first BLOCK_LENGTH letters of every spelling one edit away from the key, edits within the prefix only. */
function prefixesOneEditAway(key: string): Set<string> {
  const head = key.slice(0, BLOCK_LENGTH + 1);
  const prefixes = new Set<string>([head.slice(0, BLOCK_LENGTH)]);
  const add = (spelling: string) => {
    if (spelling.length >= BLOCK_LENGTH) prefixes.add(spelling.slice(0, BLOCK_LENGTH));
  };
  for (let at = 0; at <= BLOCK_LENGTH; at++) {
    add(head.slice(0, at) + head.slice(at + 1) + key.slice(head.length));
    if (at + 1 < head.length) add(head.slice(0, at) + head.charAt(at + 1) + head.charAt(at) + head.slice(at + 2));
    for (const letter of LETTERS) {
      add(head.slice(0, at) + letter + head.slice(at + 1));
      add(head.slice(0, at) + letter + head.slice(at));
    }
  }
  return prefixes;
}

/** The nameKey ranges to read for a surname; empty when it has no letters any table reads. */
export function surnameKeyRanges(surname: string): KeyRange[] {
  const prefixes = new Set<string>();
  for (const key of nameSearchKeys(surname)) {
    // Short names allow no typo (as in the watchlist): their key is the prefix, which also finds a double surname starting with it.
    if (typosAllowed(key.length) === 0 || key.length <= BLOCK_LENGTH) prefixes.add(key);
    else for (const prefix of prefixesOneEditAway(key)) prefixes.add(prefix);
  }
  return [...prefixes].sort().map(startsWith);
}
