import { editDistanceWithin, typosAllowed } from './edit-distance';

/**
 * A name as the matcher compares it: the canonical key (see domain/names) and, read
 * only when needed, its parts and its MRZ reading before folding.
 */
export interface ComparableName {
  readonly whole: string;
  /** The parts of a name of several parts; undefined for a name of one part. */
  parts(): readonly string[] | undefined;
  /** The MRZ reading without spaces when folding changed it (DJURIC for DURIC), else undefined. */
  unfoldedReading(): string | undefined;
}

export type NameAgreement = 'exact' | 'typo' | 'part' | 'unknown' | 'differs';

export interface NameComparison {
  agreement: NameAgreement;
  similarity: number;
  typos: number;
}

const UNKNOWN: NameComparison = { agreement: 'unknown', similarity: 0.5, typos: 0 };
const EXACT: NameComparison = { agreement: 'exact', similarity: 1, typos: 0 };
const PART: NameComparison = { agreement: 'part', similarity: 0.8, typos: 0 };
const DIFFERS: NameComparison = { agreement: 'differs', similarity: 0, typos: 0 };

/** Every part of the shorter name is a part of the longer one (CRUZ in DE LA CRUZ, ANA in ANA MARIJA). */
function partsContained(a: ComparableName, b: ComparableName): boolean {
  const partsOfA = a.parts() ?? [a.whole];
  const partsOfB = b.parts() ?? [b.whole];
  const fewer = partsOfA.length <= partsOfB.length ? partsOfA : partsOfB;
  const more = fewer === partsOfA ? partsOfB : partsOfA;
  if (fewer.length === more.length) return false;
  return fewer.every((part) => more.includes(part));
}

function typo(typos: number, a: string, b: string): NameComparison {
  return { agreement: 'typo', similarity: 1 - typos / Math.max(a.length, b.length), typos };
}

/**
 * Canonical keys already fold transliterations together, so equal keys are equal
 * names; beyond that, a few typos scaled with the length of the names, or one name
 * being some of the parts of the other.
 *
 * Folding can turn one slip into two: a transposition across a folded pair
 * (SESHUEDZIC typed SESUHEDZIC) breaks both SH and UE. So for a near miss where
 * either name was changed by folding, the unfolded readings get a second chance.
 */
export function compareNames(a: ComparableName, b: ComparableName): NameComparison {
  if (a.whole === '' || b.whole === '') return UNKNOWN;
  if (a.whole === b.whole) return EXACT;
  const allowed = typosAllowed(Math.max(a.whole.length, b.whole.length));
  const typos = editDistanceWithin(a.whole, b.whole, allowed + 2);
  if (typos <= allowed) return typo(typos, a.whole, b.whole);
  const readingOfA = typos <= allowed + 2 ? a.unfoldedReading() : undefined;
  const readingOfB = typos <= allowed + 2 ? b.unfoldedReading() : undefined;
  if (readingOfA !== undefined || readingOfB !== undefined) {
    const left = readingOfA ?? a.whole;
    const right = readingOfB ?? b.whole;
    const allowedInReadings = typosAllowed(Math.max(left.length, right.length));
    const readingTypos = editDistanceWithin(left, right, allowedInReadings);
    if (readingTypos <= allowedInReadings) return typo(readingTypos, left, right);
  }
  if ((a.parts() !== undefined || b.parts() !== undefined) && partsContained(a, b)) return PART;
  return DIFFERS;
}

/** Weights of the evidence in a person score; they add up to 1. */
export const PERSON_WEIGHTS = { surname: 0.35, givenNames: 0.3, birthDate: 0.25, nationality: 0.1 } as const;

/** A name read the other way round (surname as given name) counts a little less than one in its place. */
export const SWAPPED_NAMES_FACTOR = 0.95;

/**
 * One clearly different name (not merely unknown) makes the rest weak evidence: a
 * sibling shares surname, birth date and nationality with a twin.
 */
export const ONE_NAME_DIFFERS_FACTOR = 0.7;

/** The best score any alert can reach once one of its names differs: lets the matcher stop early. */
export const CEILING_WITH_ONE_NAME_DIFFERING =
  (Math.max(PERSON_WEIGHTS.surname, PERSON_WEIGHTS.givenNames) + PERSON_WEIGHTS.birthDate + PERSON_WEIGHTS.nationality) *
  ONE_NAME_DIFFERS_FACTOR;
