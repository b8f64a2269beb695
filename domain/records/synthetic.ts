import { PASSWORD_HASH_PARAMETERS, formatPasswordHash } from '../identity';
import { latinToSerbianCyrillic } from '../names';
import type { Alert } from './alerts';
import { AUDIT_GENESIS_HASH, auditHashInput } from './audit-chain';
import type { AuditEntry } from './audit';
import type { Biometric } from './biometrics';
import { type CodeListEntry, codeListEntryId } from './code-lists';
import type { Crossing } from './crossings';
import { type Authorship, type PersonDetails, alertRecord, newBiometric, newCrossing, newRegistration } from './new-records';
import type { Officer } from './officers';
import type { TravelDocument } from './person';
import type { Registration } from './registrations';
import type { Station } from './stations';
import type { SyntheticSource } from './synthetic-source';

/**
 * Synthetic records for tests and benchmarks, made by the same functions the station
 * uses (new-records.ts), from a seeded SyntheticSource. Never a real person: names are
 * random syllables, numbers random digits. Overrides replace top-level fields of the
 * finished record, as a test needs them (an invalid stationId, a chosen document).
 */

const DAY_MS = 86_400_000;
const NATIONALITIES = ['SRB', 'HRV', 'MNE', 'MKD', 'ALB', 'TUR', 'D', 'AUT', 'ITA', 'FRA', 'GBR', 'USA', 'CHN', 'SYR', 'AFG', 'PAK', 'IRN', 'IRQ', 'MAR', 'UKR', 'RUS', 'XXA'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The purposes of stay synthetic registrations name (a station needs them in its purposes code list to register them). */
export const SYNTHETIC_PURPOSES = ['TOURISM', 'BUSINESS', 'FAMILY', 'STUDY', 'TRANSIT', 'MEDICAL'];
const CHECKS = ['document.checkDigits', 'document.expiry', 'document.issueDate', 'watchlist', 'visa.required', 'stay.days-used'];
const REFUSAL_REASONS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'] as const;
const TEMPLATE_FORMATS = ['ISO-19794-2', 'ANSI-378', 'ZFM', 'GT-521F'];
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Formatting a Date is the slowest step of making a record; the same few thousand
// days come up again and again.
const isoDays = new Map<number, string>();

function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = isoDays.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, text);
  }
  return text;
}

function digits(source: SyntheticSource, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(source.integer(0, 9));
  return text;
}

function hex(source: SyntheticSource, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += '0123456789abcdef'.charAt(source.integer(0, 15));
  return text;
}

function authorship(source: SyntheticSource): Authorship {
  return { stationId: source.stationId, officerId: source.pick(source.officerIds), at: source.nextInstant() };
}

/** Mostly full dates; some only a year or a month, a few unknown, as documents have them. */
function birthDate(source: SyntheticSource): string {
  const full = isoDay(Date.UTC(source.integer(1940, 2023), 0, 1) + source.integer(0, 364) * DAY_MS);
  const precision = source.random();
  if (precision < 0.005) return '';
  if (precision < 0.025) return full.slice(0, 4);
  if (precision < 0.035) return full.slice(0, 7);
  return full;
}

export function syntheticPerson(source: SyntheticSource): PersonDetails {
  return {
    surname: source.surname(),
    givenNames: source.chance(0.01) ? '' : source.givenNames(),
    sex: source.chance(0.01) ? 'X' : source.pick(['F', 'M'] as const),
    birthDate: birthDate(source),
    nationality: source.pick(NATIONALITIES),
  };
}

export function syntheticTravelDocument(source: SyntheticSource, nationality: string, at: number): TravelDocument {
  return {
    documentCode: source.chance(0.8) ? 'P' : 'ID',
    documentNumber: LETTERS.charAt(source.integer(0, 25)) + LETTERS.charAt(source.integer(0, 25)) + digits(source, 7),
    issuingState: source.chance(0.95) ? nationality : source.pick(NATIONALITIES),
    expiryDate: isoDay(at + source.integer(-200, 3650) * DAY_MS),
  };
}

export function syntheticRegistration(source: SyntheticSource, overrides: Partial<Registration> = {}): Registration {
  const by = authorship(source);
  const person = syntheticPerson(source);
  const arrivalAt = by.at - source.integer(0, 72 * 60) * 60_000;
  const registration = newRegistration(
    {
      person,
      document: syntheticTravelDocument(source, person.nationality, by.at),
      address: {
        street: `${source.word()} ulica`,
        houseNumber: source.chance(0.1) ? 'bb' : String(source.integer(1, 200)),
        postcode: String(source.integer(70_000, 89_999)),
        place: source.word(),
        municipality: source.word(),
      },
      accommodation: source.chance(0.6)
        ? { type: 'commercial', providerName: `Hotel ${source.word()}` }
        : { type: 'private', hostName: `${source.givenNames()} ${source.surname()}`, hostIdNumber: digits(source, 13) },
      arrivalAt,
      plannedDepartureDate: isoDay(arrivalAt + source.integer(1, 60) * DAY_MS),
      purposeCode: source.pick(SYNTHETIC_PURPOSES),
    },
    by,
    source.id(by.at),
  );
  return Object.assign(registration, overrides);
}

export function syntheticCrossing(source: SyntheticSource, overrides: Partial<Crossing> = {}): Crossing {
  const by = authorship(source);
  const person = syntheticPerson(source);
  const refused = source.chance(0.05);
  const reasons = refused ? [...new Set(Array.from({ length: source.integer(1, 3) }, () => source.pick(REFUSAL_REASONS)))] : [];
  const crossing = newCrossing(
    {
      direction: source.chance(0.5) ? 'entry' : 'exit',
      decision: refused ? { outcome: 'refused', reasons } : { outcome: 'admitted' },
      authority: `Border police unit ${source.word()}`,
      crossingPointId: source.stationId,
      occurredAt: by.at - source.integer(0, 300_000),
      person,
      document: syntheticTravelDocument(source, person.nationality, by.at),
      checks: CHECKS.map((check) => {
        const failed = source.chance(0.03);
        return { check, severity: failed ? source.pick(['warning', 'critical'] as const) : 'info', outcome: failed ? 'failed' : 'passed' };
      }),
      ...(source.chance(0.2)
        ? {
            visa: {
              visaNumber: digits(source, 9),
              issuingState: 'BIH',
              category: 'C',
              validFrom: isoDay(by.at - source.integer(0, 60) * DAY_MS),
              validUntil: isoDay(by.at + source.integer(1, 90) * DAY_MS),
              entries: source.pick(['single', 'double', 'multiple'] as const),
              durationOfStayDays: source.integer(1, 90),
            },
          }
        : {}),
    },
    by,
    source.id(by.at),
  );
  return Object.assign(crossing, overrides);
}

// A few hundred random templates serve every capture: generating base64 per record
// would cost more than the rest of the record.
const templatePools = new WeakMap<SyntheticSource, string[]>();

function template(source: SyntheticSource): string {
  let pool = templatePools.get(source);
  if (!pool) {
    pool = Array.from({ length: 256 }, () => {
      let text = '';
      for (let i = 0; i < 684; i++) text += BASE64.charAt(source.integer(0, 63));
      return text;
    });
    templatePools.set(source, pool);
  }
  return source.pick(pool);
}

export function syntheticBiometric(
  source: SyntheticSource,
  subject: Pick<Biometric, 'recordType' | 'recordId'>,
  overrides: Partial<Biometric> = {},
): Biometric {
  const by = authorship(source);
  const capture: Biometric['capture'] = source.chance(0.03)
    ? { outcome: 'exempt', fingerPosition: source.integer(2, 5), reason: source.pick(['FINGER_MISSING', 'FINGER_INJURED'] as const) }
    : {
        outcome: 'captured',
        fingerPosition: source.integer(2, 5),
        templateFormat: source.pick(TEMPLATE_FORMATS),
        template: template(source),
        quality: source.integer(20, 100),
      };
  return Object.assign(newBiometric({ recordType: subject.recordType, recordId: subject.recordId, capture }, by, source.id(by.at)), overrides);
}

/**
 * The entry after `previous` in a station's audit chain (the first one without it).
 * `hash` is the real SHA-256 where a test checks the chain; the default stands in for
 * benchmarks that only need the shape.
 */
export function syntheticAuditEntry(
  source: SyntheticSource,
  previous: AuditEntry | undefined,
  hash: (input: string) => string = () => hex(source, 64),
): AuditEntry {
  const by = authorship(source);
  const viewing = source.chance(0.7);
  const unhashed: Omit<AuditEntry, 'hash' | 'receivedAt'> = {
    id: source.id(by.at),
    stationId: source.stationId,
    officerId: by.officerId,
    createdAt: by.at,
    sequence: previous ? previous.sequence + 1 : 1,
    action: viewing ? source.pick(['crossing.view', 'registration.view']) : source.pick(['registration.create', 'crossing.create', 'login']),
    recordType: viewing ? source.pick(['crossing', 'registration'] as const) : '',
    recordId: viewing ? source.id(by.at - source.integer(0, 30) * DAY_MS) : '',
    details: viewing ? {} : { result: 'ok' },
    previousHash: previous ? previous.hash : AUDIT_GENESIS_HASH,
  };
  return { ...unhashed, receivedAt: 0, hash: hash(auditHashInput(unhashed)) };
}

export function syntheticAlert(source: SyntheticSource, overrides: Partial<Alert> = {}): Alert {
  const onDocument = source.chance(0.4);
  const person = syntheticPerson(source);
  const since = source.nextInstant() - source.integer(0, 3650) * DAY_MS;
  const alert = alertRecord({
    id: `alert-${source.id(since)}`,
    kind: onDocument ? source.pick(['lost-stolen-document', 'invalidated-document'] as const) : source.pick(['wanted', 'entry-ban', 'missing-person', 'discreet-check'] as const),
    ...(onDocument ? {} : { surname: person.surname, givenNames: person.givenNames, birthDate: person.birthDate, nationality: person.nationality }),
    documentNumber: onDocument ? syntheticTravelDocument(source, person.nationality, since).documentNumber : '',
    issuingState: onDocument ? person.nationality : '',
    validFrom: isoDay(since),
    ...(source.chance(0.5) ? { validUntil: isoDay(since + source.integer(365, 3650) * DAY_MS) } : {}),
    issuingAuthority: `Synthetic authority ${source.word()}`,
    updatedAt: since,
  });
  return Object.assign(alert, overrides);
}

function bytes(source: SyntheticSource, count: number): Uint8Array {
  return Uint8Array.from({ length: count }, () => source.integer(0, 255));
}

/**
 * Synthetic officers have password hashes in the real format (the server refuses any
 * other) made of random bytes: no password logs them in. Tests that log in make an
 * officer with a password of their own.
 */
export function syntheticOfficer(source: SyntheticSource, overrides: Partial<Officer> = {}): Officer {
  const givenNames = source.givenNames();
  const surname = source.surname();
  const number = digits(source, 8);
  const id = `officer-${number}`;
  const { logN, r, p, saltBytes, keyBytes } = PASSWORD_HASH_PARAMETERS;
  return {
    id,
    name: `${givenNames} ${surname}`,
    username: id,
    badgeNumber: `SYN-${number}`,
    role: source.pick(['officer', 'officer', 'officer', 'supervisor', 'admin'] as const),
    passwordHash: formatPasswordHash({ logN, r, p, salt: bytes(source, saltBytes), key: bytes(source, keyBytes) }),
    mustChangePassword: false,
    stationIds: [source.stationId],
    active: source.chance(0.95),
    updatedAt: source.nextInstant(),
    ...overrides,
  };
}

export function syntheticStation(source: SyntheticSource, overrides: Partial<Station> = {}): Station {
  const crossing = source.chance(0.3);
  return {
    id: `station-${digits(source, 6)}`,
    name: `${crossing ? 'Crossing' : 'Police station'} ${source.word()}`,
    kind: crossing ? 'border-crossing' : 'police-station',
    municipality: source.word(),
    ...(crossing ? { crossingPointCode: `GP${digits(source, 3)}` } : {}),
    updatedAt: source.nextInstant(),
    ...overrides,
  };
}

export function syntheticCodeListEntry(source: SyntheticSource, list: string, code: string, overrides: Partial<CodeListEntry> = {}): CodeListEntry {
  const label = source.word();
  return {
    id: codeListEntryId(list, code),
    list,
    code,
    labels: { en: label, bs: label, hr: label, srLatn: label, srCyrl: latinToSerbianCyrillic(label) },
    extra: { order: source.integer(1, 100), visaRequired: source.chance(0.5) },
    updatedAt: source.nextInstant(),
    ...overrides,
  };
}
