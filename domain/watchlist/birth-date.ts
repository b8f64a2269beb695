import { parsePartialDate } from '../time';

/**
 * Dates of birth packed into one number, YYYYMMDD with 0 for an unknown part and 0
 * altogether when nothing is known, so that a million of them fit in an Int32Array
 * and compare without allocating.
 */
export function packBirthDate(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 0;
  const date = parsePartialDate(text);
  return (date.year ?? 0) * 10_000 + (date.month ?? 0) * 100 + (date.day ?? 0);
}

export function birthYear(packed: number): number {
  return Math.floor(packed / 10_000);
}

export type BirthDateAgreement = 'exact' | 'partial' | 'day-month-swapped' | 'one-digit-off' | 'unknown' | 'differs';

/** How far two dates of birth agree, and what that is worth as evidence (0..1, 0.5 = no evidence). */
export interface BirthDateComparison {
  agreement: BirthDateAgreement;
  similarity: number;
}

function digitsDiffering(a: number, b: number, digits: number): number {
  let differing = 0;
  for (let i = 0; i < digits; i++) {
    if (a % 10 !== b % 10) differing++;
    a = Math.floor(a / 10);
    b = Math.floor(b / 10);
  }
  return differing;
}

const UNKNOWN: BirthDateComparison = { agreement: 'unknown', similarity: 0.5 };
const DIFFERS: BirthDateComparison = { agreement: 'differs', similarity: 0 };

/**
 * Compares only the parts both dates know. Tolerates the two slips seen in alert data
 * and typed dates: one digit wrong, and day and month written the other way round.
 */
export function compareBirthDates(a: number, b: number): BirthDateComparison {
  if (a === 0 || b === 0) return UNKNOWN;
  const yearA = birthYear(a);
  const yearB = birthYear(b);
  const monthA = Math.floor(a / 100) % 100;
  const monthB = Math.floor(b / 100) % 100;
  const dayA = a % 100;
  const dayB = b % 100;
  const yearKnown = yearA !== 0 && yearB !== 0;
  const monthKnown = monthA !== 0 && monthB !== 0;
  const dayKnown = dayA !== 0 && dayB !== 0;
  const known = Number(yearKnown) + Number(monthKnown) + Number(dayKnown);
  if (known === 0) return UNKNOWN;
  const wrongDigits =
    (yearKnown ? digitsDiffering(yearA, yearB, 4) : 0) +
    (monthKnown ? digitsDiffering(monthA, monthB, 2) : 0) +
    (dayKnown ? digitsDiffering(dayA, dayB, 2) : 0);
  if (wrongDigits === 0) {
    if (known === 3) return { agreement: 'exact', similarity: 1 };
    return { agreement: 'partial', similarity: yearKnown ? 0.75 + 0.1 * (known - 1) : 0.6 };
  }
  if (known === 3 && yearA === yearB && monthA === dayB && dayA === monthB) {
    return { agreement: 'day-month-swapped', similarity: 0.85 };
  }
  if (wrongDigits === 1) return { agreement: 'one-digit-off', similarity: known === 3 ? 0.8 : 0.6 };
  return DIFFERS;
}

export function formatBirthDate(packed: number): string {
  if (packed === 0) return 'unknown';
  const year = birthYear(packed);
  const month = Math.floor(packed / 100) % 100;
  const day = packed % 100;
  const part = (value: number, width: number) => (value === 0 ? 'X'.repeat(width) : String(value).padStart(width, '0'));
  return `${part(year, 4)}-${part(month, 2)}-${part(day, 2)}`;
}
