import { nameIndexParts, nameSearchKeys } from '../../domain/names';
import { documentNumberKey } from '../../domain/records/name-key';

/**
 * Removes personal data from the text a diagnostics bundle carries (log lines, sync
 * failure messages, device details). Two lines of defence:
 *
 * - **What the store knows.** The names, document numbers and dates of birth held by the
 *   station's records are looked up for every word of the material: a word whose name key
 *   (domain/names: case, diacritics, Latin or Cyrillic script folded together) is a key of
 *   a stored name goes, so 'Тестовић', 'testović' and 'TESTOVIC' all go when TESTOVIĆ is
 *   stored. To keep this cheap with a watchlist of a million entries, the material's words
 *   are collected first (MaterialWords) and the store's values are only compared with them
 *   (KnownPersonalData), never all held in memory.
 * - **What looks personal.** MRZ lines, calendar dates that are not timestamps, and
 *   document-number-like tokens (upper-case letters with three or more digits, or seven
 *   digits and more) go whatever the store says.
 *
 * Timestamps, record ids (UUIDs), hashes and key fingerprints are kept: they are what IT
 * staff diagnose with, and none of them is personal.
 */

export const REDACTED = { name: '[name]', document: '[document]', date: '[date]', mrz: '[mrz]' } as const;

const WORD = /\p{L}[\p{L}\p{M}]*/gu;
const ASCII_TOKEN = /[A-Za-z0-9]+/g;
const LETTER = /[A-Z]/;

/** Stretches that are never personal and stay as they are. */
const PROTECTED = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // record ids
  /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, // timestamps
  /\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b/g, // hashes (lower-case hex: document numbers are upper case)
  /SHA256:[A-Za-z0-9+/]{43}/g, // key fingerprints
];

const LOOKS_PERSONAL: { pattern: RegExp; label: string; test?: (match: string) => boolean }[] = [
  // An MRZ line or a piece of one: capitals, digits and the filler '<'.
  { pattern: /[A-Z0-9<]{10,}/g, label: REDACTED.mrz, test: (match) => match.includes('<') },
  { pattern: /\b\d{4}-\d{2}-\d{2}\b/g, label: REDACTED.date },
  { pattern: /\b\d{1,2}[./]\d{1,2}[./]\d{4}\b/g, label: REDACTED.date },
];

function digitCount(token: string): number {
  let count = 0;
  for (const ch of token) if (ch >= '0' && ch <= '9') count++;
  return count;
}

/** A token shaped like a document, visa or personal identification number. */
export function looksLikeDocumentNumber(token: string): boolean {
  if (/^\d{7,24}$/.test(token)) return true;
  return /^[A-Z0-9]{6,24}$/.test(token) && LETTER.test(token) && digitCount(token) >= 3;
}

/** The MRZ form of a full date of birth (YYMMDD), beside the ISO form records keep. */
function birthDateForms(isoDate: string): string[] {
  const match = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return [];
  const [, , yy, mm, dd] = match;
  return [`${yy}${mm}${dd}`];
}

const keysCache = new Map<string, string[]>();

/** Every key a word of the material can be a name under (all its readings). */
function wordKeys(word: string): string[] {
  let keys = keysCache.get(word);
  if (!keys) {
    keys = nameSearchKeys(word).filter((key) => key.length >= 2);
    if (keysCache.size > 50_000) keysCache.clear();
    keysCache.set(word, keys);
  }
  return keys;
}

/** The words and tokens of the material a bundle is made of, as keys to compare the store's values with. */
export class MaterialWords {
  readonly nameKeys = new Set<string>();
  readonly tokens = new Set<string>();

  add(text: string): void {
    for (const [word] of text.matchAll(WORD)) for (const key of wordKeys(word)) this.nameKeys.add(key);
    for (const [token] of text.matchAll(ASCII_TOKEN)) this.tokens.add(token.toUpperCase());
  }
}

/** The store's personal values that occur in the material: what the scrubber must take out. */
export class KnownPersonalData {
  readonly names = new Set<string>();
  readonly documents = new Set<string>();
  readonly dates = new Set<string>();

  constructor(private readonly material: MaterialWords) {}

  /** A surname, given names, a host's or an officer's name, a street: each part of it. */
  addName(value: string): void {
    for (const part of nameIndexParts(value)) if (part.length >= 2 && this.material.nameKeys.has(part)) this.names.add(part);
  }

  addDocumentNumber(value: string): void {
    const key = documentNumberKey(value);
    if (key.length >= 5 && this.material.tokens.has(key)) this.documents.add(key);
  }

  addBirthDate(value: string): void {
    for (const form of birthDateForms(value)) if (this.material.tokens.has(form)) this.dates.add(form);
  }
}

type Range = { start: number; end: number; label: string };

function rangesOf(pattern: RegExp, text: string, label: string, test?: (match: string) => boolean): Range[] {
  const ranges: Range[] = [];
  for (const match of text.matchAll(pattern)) {
    if (test && !test(match[0])) continue;
    ranges.push({ start: match.index, end: match.index + match[0].length, label });
  }
  return ranges;
}

/**
 * The text with personal data replaced by [name], [document], [date] or [mrz]. Without
 * `known` (the store could not be read) only what looks personal goes; callers then
 * withhold free text altogether (see DiagnosticsScrubber).
 */
export function scrubText(text: string, known: KnownPersonalData | null): string {
  const kept = PROTECTED.flatMap((pattern) => rangesOf(pattern, text, ''));
  const insideKept = (range: Range): boolean => kept.some((keep) => range.start >= keep.start && range.end <= keep.end);
  const ranges: Range[] = LOOKS_PERSONAL.flatMap(({ pattern, label, test }) => rangesOf(pattern, text, label, test));
  for (const match of text.matchAll(ASCII_TOKEN)) {
    const token = match[0];
    const upper = token.toUpperCase();
    const label = known?.documents.has(upper) || (token === upper && looksLikeDocumentNumber(token)) ? REDACTED.document : known?.dates.has(token) ? REDACTED.date : null;
    if (label) ranges.push({ start: match.index, end: match.index + token.length, label });
  }
  if (known && known.names.size > 0) {
    for (const match of text.matchAll(WORD)) {
      if (wordKeys(match[0]).some((key) => known.names.has(key))) ranges.push({ start: match.index, end: match.index + match[0].length, label: REDACTED.name });
    }
  }
  const redactions = ranges.filter((range) => !insideKept(range)).sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const range of redactions) {
    if (range.end <= at) continue;
    // Overlapping stretches (an MRZ line with a name in it) are removed as one.
    if (range.start < at) {
      at = range.end;
      continue;
    }
    out += text.slice(at, range.start) + range.label;
    at = range.end;
  }
  return out + text.slice(at);
}
