import fc from 'fast-check';
import type { RxDatabase, RxJsonSchema } from 'rxdb';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { alertValidator } from './alerts';
import { auditEntryValidator } from './audit';
import { biometricValidator } from './biometrics';
import { codeListEntryValidator } from './code-lists';
import { type CollectionName, collectionDefinitions } from './collections';
import { crossingValidator } from './crossings';
import { officerValidator } from './officers';
import { registrationValidator } from './registrations';
import { stationValidator } from './stations';
import {
  syntheticAlert,
  syntheticAuditEntry,
  syntheticBiometric,
  syntheticCodeListEntry,
  syntheticCrossing,
  syntheticOfficer,
  syntheticRegistration,
  syntheticStation,
} from './synthetic';
import { syntheticSource } from './synthetic-source';
import { openRecordsDatabase } from './test-database';

type Document = Record<string, unknown>;

const source = syntheticSource(20_250_101);
let auditEntries = 0;

/** Per collection: its zod validator and a maker of valid synthetic documents. */
const collections: Record<CollectionName, { validator: z.ZodType; make: () => Document }> = {
  registrations: { validator: registrationValidator, make: () => syntheticRegistration(source) },
  crossings: { validator: crossingValidator, make: () => syntheticCrossing(source) },
  biometrics: {
    validator: biometricValidator,
    make: () => syntheticBiometric(source, { recordType: 'crossing', recordId: source.id(Date.UTC(2024, 0, 1)) }),
  },
  audit: {
    validator: auditEntryValidator,
    make: () => syntheticAuditEntry(source, auditEntries++ % 2 === 0 ? undefined : syntheticAuditEntry(source, undefined)),
  },
  alerts: { validator: alertValidator, make: () => syntheticAlert(source) },
  officers: { validator: officerValidator, make: () => syntheticOfficer(source) },
  stations: { validator: stationValidator, make: () => syntheticStation(source) },
  codeLists: {
    validator: codeListEntryValidator,
    make: () => syntheticCodeListEntry(source, source.pick(['countries', 'purposes', 'refusalReasons']), `C${source.integer(0, 99_999)}`),
  },
};

const names = Object.keys(collections) as CollectionName[];
const stationMade: CollectionName[] = ['registrations', 'crossings', 'biometrics', 'audit'];

const ajvValidators = new Map<CollectionName, (document: unknown) => unknown[]>(
  names.map((name) => [name, getValidator(collectionDefinitions[name].schema as RxJsonSchema<unknown>) as (document: unknown) => unknown[]]),
);

function validForRxdb(name: CollectionName, document: unknown): boolean {
  return ajvValidators.get(name)!(document).length === 0;
}

function validForZod(name: CollectionName, document: unknown): boolean {
  return collections[name].validator.safeParse(document).success;
}

/**
 * The rules the zod validators hold beyond the JSON Schemas, because an RxDB schema
 * cannot state them at its top level. On the station RxDB holds the second one itself
 * (it builds the composite key), and the station's code the first (registration-edits).
 */
function crossFieldRulesHold(name: CollectionName, document: Document): boolean {
  if (name === 'registrations') return (document.status === 'cancelled') === (document.cancellation !== undefined);
  if (name === 'codeLists') return document.id === `${String(document.list)}|${String(document.code)}`;
  return true;
}

let database: RxDatabase;

beforeAll(async () => {
  database = await openRecordsDatabase();
});

afterAll(async () => {
  await database.remove();
});

describe('schemas', () => {
  it('all pass RxDB dev-mode schema checks (a database with every collection opens)', () => {
    expect(Object.keys(database.collections).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s: synthetic documents are valid for the RxDB schema (ajv) and for zod, and RxDB stores them', async (name) => {
    const documents = Array.from({ length: 200 }, () => collections[name].make());
    for (const document of documents) {
      expect(ajvValidators.get(name)!(document)).toEqual([]);
      expect(collections[name].validator.safeParse(document).error).toBeUndefined();
    }
    const { error, success } = await database.collections[name]!.bulkInsert(documents);
    expect(error).toEqual([]);
    expect(success).toHaveLength(documents.length);
  });

  it.each(stationMade)('%s: every station-made record carries id, stationId, officerId, createdAt and receivedAt', (name) => {
    const { required, primaryKey } = collectionDefinitions[name].schema;
    expect(primaryKey).toBe('id');
    expect(required).toEqual(expect.arrayContaining(['id', 'stationId', 'officerId', 'createdAt', 'receivedAt']));
  });
});

describe('immutable records', () => {
  it.each(['crossings', 'biometrics', 'audit'] as const)('%s: RxDB refuses a change to any field but receivedAt, which the server sets', async (name) => {
    const stored = await database.collections[name]!.insert(collections[name].make());
    await expect(stored.incrementalPatch({ createdAt: 1_000 })).rejects.toThrow(/final/i);
    const synced = await stored.incrementalPatch({ receivedAt: Date.UTC(2025, 0, 2) });
    expect(synced.get('receivedAt')).toBe(Date.UTC(2025, 0, 2));
  });

  it('crossings: the decision and the checks are final too', async () => {
    const stored = await database.collections.crossings!.insert(collections.crossings.make());
    await expect(stored.incrementalPatch({ decision: { outcome: 'refused', reasons: ['A'] } })).rejects.toThrow(/final/i);
    await expect(stored.incrementalModify((crossing: Document) => ({ ...crossing, checks: [] }))).rejects.toThrow(/final/i);
  });

  it('registrations: who made it and when are final, the rest can be amended', async () => {
    const stored = await database.collections.registrations!.insert(collections.registrations.make());
    await expect(stored.incrementalPatch({ officerId: 'someone-else' })).rejects.toThrow(/final/i);
    const amended = await stored.incrementalPatch({ purposeCode: 'FAMILY', revisionNumber: 2, status: 'amended' });
    expect(amended.get('purposeCode')).toBe('FAMILY');
  });
});

describe('biometrics', () => {
  it('keep the finger image as an attachment, apart from the record', async () => {
    const stored = await database.collections.biometrics!.insert(collections.biometrics.make());
    const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await stored.putAttachment({ id: 'image', data: new Blob([image], { type: 'image/png' }), type: 'image/png' });
    const attachment = stored.getLatest().getAttachment('image');
    expect(Object.keys(stored.getLatest().toJSON())).not.toContain('image');
    expect(attachment?.type).toBe('image/png');
    expect(new Uint8Array(await (await attachment!.getData()).arrayBuffer())).toEqual(image);
  });
});

/** A copy of a valid document with one change, for the refusal table. */
function changed(name: CollectionName, change: (document: Document) => void): Document {
  const document = structuredClone(collections[name].make());
  change(document);
  return document;
}

const refused: [string, CollectionName, (document: Document) => void][] = [
  ...stationMade.map((name): [string, CollectionName, (document: Document) => void] => [
    'without stationId',
    name,
    (document) => delete document.stationId,
  ]),
  ...stationMade.map((name): [string, CollectionName, (document: Document) => void] => ['with an id that is not a UUIDv7', name, (document) => (document.id = '3b241101-e2bb-4255-8caf-4136c566a962')]),
  ['with an upper-case id', 'crossings', (document) => (document.id = String(document.id).toUpperCase())],
  ['with a field the schema does not know', 'registrations', (document) => (document.notes = 'free text')],
  ['with a field the person does not know', 'crossings', (document) => ((document.person as Document).middleName = 'Marko')],
  ['with a createdAt before 1970', 'registrations', (document) => (document.createdAt = -1)],
  ['with a createdAt after 2100', 'crossings', (document) => (document.createdAt = 4_102_444_800_001)],
  ['with a fractional receivedAt', 'biometrics', (document) => (document.receivedAt = 1.5)],
  ['with a lower-case nameKey', 'registrations', (document) => ((document.person as Document).nameKey = 'duric<<ana')],
  ['with a document number in lower case', 'crossings', (document) => ((document.document as Document).documentNumber = 'ab123')],
  ['with 30 February as date of birth', 'registrations', (document) => ((document.person as Document).birthDate = '1974-02-30')],
  ['with month 13 in a partial date of birth', 'alerts', (document) => (document.birthDate = '1974-13')],
  ['with a private host and no id number', 'registrations', (document) => (document.accommodation = { type: 'private', hostName: 'Ana' })],
  ['with a provider and a host name', 'registrations', (document) => (document.accommodation = { type: 'commercial', providerName: 'Hotel', hostName: 'Ana' })],
  ['with a status no one knows', 'registrations', (document) => (document.status = 'deleted')],
  ['with revisionNumber 0', 'registrations', (document) => (document.revisionNumber = 0)],
  ['refused without a reason', 'crossings', (document) => (document.decision = { outcome: 'refused', reasons: [] })],
  ['refused with a reason twice', 'crossings', (document) => (document.decision = { outcome: 'refused', reasons: ['C', 'C'] })],
  ['refused with reason J', 'crossings', (document) => (document.decision = { outcome: 'refused', reasons: ['J'] })],
  ['admitted with reasons', 'crossings', (document) => (document.decision = { outcome: 'admitted', reasons: ['A'] })],
  ['with correctsId that is not an id', 'crossings', (document) => (document.correctsId = 'previous')],
  ['with a quality over 100', 'biometrics', (document) => (document.capture = { outcome: 'captured', fingerPosition: 2, templateFormat: 'ISO-19794-2', template: 'AAAA', quality: 101 })],
  ['captured without a finger position', 'biometrics', (document) => (document.capture = { outcome: 'captured', templateFormat: 'ISO-19794-2', template: 'AAAA', quality: 50 })],
  ['with finger position 11', 'biometrics', (document) => (document.capture = { outcome: 'exempt', fingerPosition: 11, reason: 'FINGER_MISSING' })],
  ['with a template that is not base64', 'biometrics', (document) => (document.capture = { outcome: 'captured', fingerPosition: 2, templateFormat: 'ISO-19794-2', template: 'AAA*', quality: 50 })],
  ['with sequence 0', 'audit', (document) => (document.sequence = 0)],
  ['with an upper-case hash', 'audit', (document) => (document.hash = 'A'.repeat(64))],
  ['with a detail holding an object', 'audit', (document) => (document.details = { fields: { surname: 'Hodžić' } })],
  ['with a detail name holding a dash', 'audit', (document) => (document.details = { 'field-name': 'x' })],
  ['with 17 details', 'audit', (document) => (document.details = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`d${i}`, 'x'])))],
  ['with an unknown kind', 'alerts', (document) => (document.kind = 'suspicious')],
  ['with an issuing state in lower case', 'alerts', (document) => (document.issuingState = 'bih')],
  ['without issuingState (indexed: "" when unknown)', 'alerts', (document) => delete document.issuingState],
  ['with an upper-case username', 'officers', (document) => (document.username = 'Officer-1')],
  ['with a role no one has', 'officers', (document) => (document.role = 'boss')],
  ['with an unknown kind', 'stations', (document) => (document.kind = 'airport')],
  ['without an English label', 'codeLists', (document) => delete (document.labels as Document).en],
  ['with a label under sr-Latn', 'codeLists', (document) => ((document.labels as Document)['sr-Latn'] = 'Srbija')],
  ['with a list name holding the key separator', 'codeLists', (document) => (document.list = 'coun|tries')],
];

describe('invalid documents', () => {
  it.each(refused)('a document %s is refused by RxDB (ajv) and by zod [%s]', (_, name, change) => {
    const document = changed(name, change);
    expect(validForRxdb(name, document)).toBe(false);
    expect(validForZod(name, document)).toBe(false);
  });

  it('are refused when written to the station database', async () => {
    const withoutStation = changed('crossings', (document) => delete document.stationId);
    await expect(database.collections.crossings!.insert(withoutStation)).rejects.toThrow(/schema validation error|VD2/i);
    const outOfRange = changed('registrations', (document) => (document.receivedAt = -5));
    await expect(database.collections.registrations!.insert(outOfRange)).rejects.toThrow();
  });

  it('zod alone refuses a cancelled registration without its cancellation, and the reverse', () => {
    const cancelledSilently = changed('registrations', (document) => (document.status = 'cancelled'));
    expect(validForRxdb('registrations', cancelledSilently)).toBe(true);
    expect(validForZod('registrations', cancelledSilently)).toBe(false);
    const activeButCancelled = changed('registrations', (document) => (document.cancellation = { cancelledAt: 1, cancelledBy: 'o', reason: 'duplicate' }));
    expect(validForZod('registrations', activeButCancelled)).toBe(false);
  });

  it('a code list entry whose id is not list|code is refused by zod and by RxDB on insert', async () => {
    const misnamed = changed('codeLists', (document) => (document.id = 'countries|XYZ'));
    expect(validForZod('codeLists', misnamed)).toBe(false);
    await expect(database.collections.codeLists!.insert(misnamed)).rejects.toThrow();
  });
});

// Values a mutation puts anywhere in a document: edges of the field types in use.
const ODD_VALUES: unknown[] = [
  '', 'x', 'X', 'ab', 'A'.repeat(65), 'a'.repeat(600), '1974', '1974-08', '1974-02-30', '2024-02-29', '2024-13-01',
  'BIH', 'bih', 'D', '<<', 'DURIC<<ANA', 'duric<<ana', '\u0007', 'Đurić 😀', '018cc252-50b1-72d7-ae30-17cc140edc0a',
  '018CC252-50B1-72D7-AE30-17CC140EDC0A', 'countries|BIH', 'cancelled', 'amended', 'refused', 'admitted', 'private',
  'commercial', 'captured', 'exempt', 'A', 'J', 'AAAA', 'AAA=', '0'.repeat(64), -1, 0, 1, 1.5, 9, 10, 11, 100, 101,
  366, 367, 1_000_000, 1_000_001, 4_102_444_800_000, 4_102_444_800_001, 1_704_067_223_729, Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2, true, false, null, [], ['A'], ['A', 'A'], {},
  { a: 'b' }, { outcome: 'admitted' }, { cancelledAt: 1, cancelledBy: 'o', reason: 'r' },
];

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [path];
  const children = Array.isArray(value) ? value.map((item, index) => pathsOf(item, [...path, index])) : Object.entries(value).map(([key, item]) => pathsOf(item, [...path, key]));
  return [path, ...children.flat()];
}

/** Lengths around the maxLengths in use, for stretching a string to its limit and one past it. */
const LENGTHS = [0, 1, 2, 3, 9, 10, 11, 20, 21, 24, 25, 30, 31, 32, 33, 36, 37, 40, 41, 64, 65, 80, 81, 97, 98, 99, 100, 101, 120, 121, 200, 201, 500, 501, 512, 513];

interface Mutation {
  operation: 'remove' | 'replace' | 'addField' | 'stretch';
  pathChoice: number;
  valueChoice: number;
}

function mutated(original: Document, { operation, pathChoice, valueChoice }: Mutation): Document {
  const document = structuredClone(original);
  const paths = pathsOf(document).filter((path) => path.length > 0);
  const path = paths[pathChoice % paths.length]!;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, document);
  const key = path.at(-1)!;
  const value = structuredClone(ODD_VALUES[valueChoice % ODD_VALUES.length]);
  const target = parent[key];
  if (operation === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (operation === 'stretch' && typeof target === 'string') {
    // The same character repeated keeps most patterns matching, so the length decides.
    parent[key] = (target.charAt(0) || 'A').repeat(LENGTHS[valueChoice % LENGTHS.length]!);
  } else if (operation === 'addField' && target !== null && typeof target === 'object' && !Array.isArray(target)) {
    (target as Document)[`extra${valueChoice % 3}`] = value;
  } else {
    parent[key] = value;
  }
  return document;
}

const mutations = fc.array(
  fc.record({ operation: fc.constantFrom('remove', 'replace', 'addField', 'stretch'), pathChoice: fc.nat(), valueChoice: fc.nat() }),
  { minLength: 1, maxLength: 3 },
) as fc.Arbitrary<Mutation[]>;

/** Every single change the mutations can make to the document, one at a time. */
function everySingleChange(document: Document): Document[] {
  const paths = pathsOf(document).filter((path) => path.length > 0).length;
  const changes: Document[] = [];
  for (let pathChoice = 0; pathChoice < paths; pathChoice++) {
    changes.push(mutated(document, { operation: 'remove', pathChoice, valueChoice: 0 }));
    changes.push(mutated(document, { operation: 'addField', pathChoice, valueChoice: 0 }));
    ODD_VALUES.forEach((_, valueChoice) => changes.push(mutated(document, { operation: 'replace', pathChoice, valueChoice })));
    LENGTHS.forEach((_, valueChoice) => changes.push(mutated(document, { operation: 'stretch', pathChoice, valueChoice })));
  }
  return changes;
}

describe('the RxDB schema and the zod validator agree', () => {
  it.each(names)('%s: on every single change to a document, both accept or both refuse (beyond the cross-field rules)', (name) => {
    for (const document of Array.from({ length: 3 }, () => collections[name].make()).flatMap(everySingleChange)) {
      const rxdb = validForRxdb(name, document);
      if (validForZod(name, document) !== (rxdb && crossFieldRulesHold(name, document))) {
        expect.fail(`RxDB says ${rxdb ? 'valid' : 'invalid'}, zod the opposite, for ${JSON.stringify(document)}`);
      }
    }
  });

  it.each(names)('%s: on documents with random changes, both accept or both refuse (beyond the cross-field rules)', (name) => {
    const valid = Array.from({ length: 20 }, () => collections[name].make());
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), mutations, (pick, changes) => {
        const document = changes.reduce(mutated, valid[pick]!);
        const rxdb = validForRxdb(name, document);
        expect(validForZod(name, document)).toBe(rxdb && crossFieldRulesHold(name, document));
      }),
      { numRuns: 1500 },
    );
  });
});
