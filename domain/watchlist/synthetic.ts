import { latinToSerbianCyrillic, mrzReadings } from '../names';
import { TimeError, dayNumber } from '../time';
import type { DocumentAlert, PersonAlert, TravellerQuery, WatchlistAlert } from './alerts';

/**
 * Made-up alerts for tests and benchmarks: names built from random syllables, never
 * a real person. Seeded, so every run sees the same list. Names repeat the way real
 * ones do (a few are common, most are rare), which is what makes blocking hard.
 */

/** mulberry32: small, fast, and good enough to make test data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

const ONSETS = ['b', 'c', 'č', 'ć', 'd', 'dž', 'đ', 'f', 'g', 'h', 'j', 'k', 'l', 'lj', 'm', 'n', 'nj', 'p', 'r', 's', 'š', 't', 'v', 'z', 'ž', 'br', 'dr', 'gr', 'kr', 'pr', 'st', 'tr', 'sv', 'zl', 'sh', 'kh'];
// Mostly plain vowels, a few umlauts to exercise transliteration (Ä as AE or A).
const VOWELS = [...'aaaeeeiiioooouu', 'ä', 'ö', 'ü'];
// Endings start with a consonant, so that a stem's last vowel never meets another vowel.
const SURNAME_ENDINGS = ['vić', 'ković', 'nović', 'ski', 'nov', 'rova', 'man', 'ner', 'lescu', 'tani', 'gur', 'šek', 'lač', 'din', 'džić', 'ljić'];
const GIVEN_ENDINGS = ['na', 'ko', 'n', 'r', 'lija', 'l', 'nka', 'ra', 'mir', 'slav'];
const NATIONALITIES = ['SRB', 'HRV', 'BIH', 'MNE', 'MKD', 'ALB', 'TUR', 'AFG', 'PAK', 'SYR', 'IRQ', 'IRN', 'MAR', 'DZA', 'BGD', 'DEU', 'AUT', 'ITA', 'RUS', 'UKR'];
const PERSON_KINDS = ['entry-ban', 'entry-ban', 'entry-ban', 'wanted', 'wanted', 'missing-person', 'discreet-check'] as const;
const DOCUMENT_KINDS = ['lost-stolen-document', 'lost-stolen-document', 'invalidated-document'] as const;

function capitalise(word: string): string {
  // Capitalise a leading digraph as one letter: "Lj", "Nj", "Dž".
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function syllables(random: Random, min: number, max: number): string {
  const count = min + Math.floor(random() * (max - min + 1));
  let word = '';
  for (let i = 0; i < count; i++) word += pick(random, ONSETS) + pick(random, VOWELS);
  return word;
}

function makeSurname(random: Random): string {
  return capitalise(syllables(random, 2, 3) + pick(random, SURNAME_ENDINGS));
}

function makeGivenNames(random: Random): string {
  const first = capitalise(syllables(random, 2, 2) + pick(random, GIVEN_ENDINGS));
  return random() < 0.08 ? `${first} ${capitalise(syllables(random, 1, 2) + pick(random, GIVEN_ENDINGS))}` : first;
}

/** Pools of distinct names: a head of common names drawn often, a long tail drawn rarely. */
function namePool(random: Random, size: number, make: (random: Random) => string): string[] {
  const names = new Set<string>();
  while (names.size < size) names.add(make(random));
  return [...names];
}

/**
 * 5% of draws from the ten most common names (each then holds about 0.5% of the list,
 * like the commonest surnames of a country), 25% from the most common 1%, the rest
 * from the whole pool.
 */
function drawFromPool(random: Random, pool: readonly string[]): string {
  const draw = random();
  const range = draw < 0.05 ? 10 : draw < 0.3 ? Math.max(10, Math.floor(pool.length / 100)) : pool.length;
  return pool[Math.floor(random() * Math.min(range, pool.length))] ?? '';
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function makeBirthDate(random: Random): string {
  const year = 1940 + Math.floor(random() * 70);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * new Date(Date.UTC(year, month, 0)).getUTCDate());
  const shape = random();
  if (shape < 0.08) return String(year);
  if (shape < 0.12) return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function makeDocumentNumber(random: Random): string {
  const letters = 'ABCDEFGHJKLMNPRTUVWXY';
  let number = pick(random, [...letters]) + pick(random, [...letters]);
  for (let i = 0; i < 7; i++) number += String(Math.floor(random() * 10));
  return number;
}

/**
 * How many distinct names the list draws from, as a share of its size. The default (one
 * surname in 20 alerts, one given name in 200) is like a national list; a larger share
 * stresses the index with many more distinct names.
 */
export interface NameVariety {
  surnamesPerAlert: number;
  givenNamesPerAlert: number;
}

/** `count` made-up alerts, about 85% persons and 15% documents. */
export function generateSyntheticAlerts(count: number, seed = 1, variety: NameVariety = { surnamesPerAlert: 1 / 20, givenNamesPerAlert: 1 / 200 }): WatchlistAlert[] {
  const random = seededRandom(seed);
  const surnames = namePool(random, Math.max(50, Math.floor(count * variety.surnamesPerAlert)), makeSurname);
  const givenNames = namePool(random, Math.max(20, Math.floor(count * variety.givenNamesPerAlert)), makeGivenNames);
  const alerts: WatchlistAlert[] = new Array<WatchlistAlert>(count);
  for (let i = 0; i < count; i++) {
    const alertId = `SYN-${seed}-${i}`;
    if (random() < 0.15) {
      const document: DocumentAlert = { subject: 'document', alertId, kind: pick(random, DOCUMENT_KINDS), documentNumber: makeDocumentNumber(random) };
      if (random() < 0.9) document.issuingState = pick(random, NATIONALITIES);
      alerts[i] = document;
    } else {
      const person: PersonAlert = {
        subject: 'person',
        alertId,
        kind: pick(random, PERSON_KINDS),
        surname: drawFromPool(random, surnames),
        givenNames: drawFromPool(random, givenNames),
      };
      if (random() < 0.95) person.birthDate = makeBirthDate(random);
      if (random() < 0.8) person.nationality = pick(random, NATIONALITIES);
      alerts[i] = person;
    }
  }
  return alerts;
}

export type Perturbation =
  | 'exact'
  | 'transliterated'
  | 'swapped-names'
  | 'one-typo'
  | 'two-typos'
  | 'birth-date-one-digit'
  | 'birth-day-month-swapped'
  | 'document-number-spacing'
  | 'document-number-misread';

// Substitutes and insertions use letters that cannot form a digraph the name keys fold (SH, DJ, AE ...).
const TYPO_LETTERS = [...'BFGKLMNPRV'];

function typo(random: Random, name: string): string {
  const letters = [...name];
  const at = Math.floor(random() * letters.length);
  const operation = random();
  if (operation < 0.4) letters[at] = letters[at] === pick(random, TYPO_LETTERS) ? 'X' : pick(random, TYPO_LETTERS);
  else if (operation < 0.6 && letters.length > 4) letters.splice(at, 1);
  else if (operation < 0.8) letters.splice(at, 0, pick(random, TYPO_LETTERS));
  else if (at + 1 < letters.length && letters[at] !== letters[at + 1]) {
    const here = letters[at] ?? '';
    letters[at] = letters[at + 1] ?? '';
    letters[at + 1] = here;
  } else letters.splice(at, 0, pick(random, TYPO_LETTERS));
  return letters.join('');
}

/** Typos are made in the MRZ spelling, as a reader or an officer would make them. */
function withTypos(random: Random, name: string, typos: number): string {
  let spelled = mrzReadings(name)[0] ?? name;
  for (let i = 0; i < typos; i++) spelled = typo(random, spelled);
  return spelled;
}

function transliterate(random: Random, name: string): string {
  const way = random();
  if (way < 0.35) return mrzReadings(name)[0] ?? name;
  if (way < 0.7) return latinToSerbianCyrillic(name);
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, (d) => (d === 'đ' ? 'd' : 'D'));
}

function isRealDate(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch (error) {
    if (error instanceof TimeError) return false;
    throw error;
  }
}

/** A full date of birth for the traveller, consistent with what the alert knows. */
function travellersBirthDate(random: Random, alertDate: string | undefined): string {
  const year = alertDate?.slice(0, 4) ?? String(1940 + Math.floor(random() * 70));
  const month = alertDate && alertDate.length >= 7 ? alertDate.slice(5, 7) : pad(1 + Math.floor(random() * 12));
  const day = alertDate && alertDate.length >= 10 ? alertDate.slice(8, 10) : pad(1 + Math.floor(random() * 28));
  return `${year}-${month}-${day}`;
}

function oneDigitOff(random: Random, date: string): string {
  // Not the first two digits of the year: a birth in 2974 is not a misreading anyone makes.
  for (;;) {
    const at = pick(random, [2, 3, 5, 6, 8, 9]);
    const digit = String((Number(date[at]) + 1 + Math.floor(random() * 9)) % 10);
    const changed = date.slice(0, at) + digit + date.slice(at + 1);
    if (changed !== date && isRealDate(changed)) return changed;
  }
}

function dayMonthSwapped(date: string): string | null {
  const swapped = `${date.slice(0, 4)}-${date.slice(8, 10)}-${date.slice(5, 7)}`;
  return swapped !== date && isRealDate(swapped) ? swapped : null;
}

/**
 * A traveller who is the alert's subject, presented the way the perturbation says:
 * with names transliterated, swapped or mistyped, or a date of birth misread.
 */
export function syntheticTraveller(alert: WatchlistAlert, perturbation: Perturbation, seed: number): TravellerQuery {
  const random = seededRandom(seed);
  if (alert.subject === 'document') {
    let documentNumber = alert.documentNumber;
    if (perturbation === 'document-number-spacing') documentNumber = `${documentNumber.slice(0, 2).toLowerCase()} ${documentNumber.slice(2, 5)} ${documentNumber.slice(5)}`;
    if (perturbation === 'document-number-misread') documentNumber = documentNumber.replace(/0/, 'O').replace(/1/, 'I').replace(/8/, 'B');
    const traveller: TravellerQuery = { surname: makeSurname(random), givenNames: makeGivenNames(random), birthDate: travellersBirthDate(random, undefined), documentNumber };
    if (alert.issuingState) traveller.issuingState = alert.issuingState;
    return traveller;
  }
  let { surname, givenNames } = alert;
  let birthDate = travellersBirthDate(random, alert.birthDate);
  switch (perturbation) {
    case 'transliterated':
      surname = transliterate(random, surname);
      givenNames = transliterate(random, givenNames);
      break;
    case 'swapped-names':
      [surname, givenNames] = [givenNames, surname];
      break;
    case 'one-typo':
      surname = withTypos(random, surname, 1);
      break;
    case 'two-typos':
      if ((mrzReadings(surname)[0] ?? '').length >= 8) surname = withTypos(random, surname, 2);
      else {
        surname = withTypos(random, surname, 1);
        givenNames = withTypos(random, givenNames, 1);
      }
      break;
    case 'birth-date-one-digit':
      birthDate = oneDigitOff(random, birthDate);
      break;
    case 'birth-day-month-swapped':
      birthDate = dayMonthSwapped(birthDate) ?? oneDigitOff(random, birthDate);
      break;
    default:
      break;
  }
  return { surname, givenNames, birthDate, nationality: alert.nationality ?? pick(random, NATIONALITIES) };
}

/** A traveller made from another syllable stock: shares no name with any generated alert. */
export function syntheticStranger(seed: number): TravellerQuery {
  const random = seededRandom(seed);
  const part = () => capitalise([0, 1, 2].map(() => pick(random, ['qu', 'wy', 'xe', 'yo', 'qi', 'wa'])).join('') + pick(random, ['x', 'q', 'w']));
  return { surname: part(), givenNames: part(), birthDate: travellersBirthDate(random, undefined), nationality: pick(random, NATIONALITIES) };
}
