import type { MangoQuery, RxCollection, RxDatabase } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit';
import { personNameKey, surnameKeyRange } from './name-key';
import { correctionOf, personRecord } from './new-records';
import type { Registration } from './registrations';
import {
  syntheticAlert,
  syntheticAuditEntry,
  syntheticBiometric,
  syntheticCodeListEntry,
  syntheticCrossing,
  syntheticOfficer,
  syntheticRegistration,
} from './synthetic';
import { syntheticSource } from './synthetic-source';
import { openRecordsDatabase } from './test-database';

/*
 * Every lookup the workflows make is answered through the index meant for it, and
 * returns exactly the documents a scan would. Synthetic data fills the collections;
 * a few hand-made records are the ones the lookups must find.
 */

type Document = Record<string, unknown> & { id: string };

const source = syntheticSource(42);
let database: RxDatabase;
const stored: Record<string, Document[]> = {};

const DAY = 86_400_000;
const monday = Date.UTC(2025, 2, 3);

/** Three spellings of one family, in two scripts, and dates of birth known in full and in part. */
const durici = [
  { surname: 'Đurić', givenNames: 'Ana', birthDate: '1980-05-01' },
  { surname: 'DJURIC', givenNames: 'ANA', birthDate: '1980' },
  { surname: 'Ђурић', givenNames: 'Марко', birthDate: '1980-05' },
  { surname: 'Đurić', givenNames: 'Ana', birthDate: '' },
  { surname: 'Đurićić', givenNames: 'Ana', birthDate: '1980-05-01' },
];

function registrationOf(person: (typeof durici)[number], overrides: Partial<Registration> = {}): Registration {
  return syntheticRegistration(source, {
    person: personRecord({ ...person, sex: 'F', nationality: 'SRB' }),
    ...overrides,
  });
}

async function fill(name: string, documents: object[]): Promise<void> {
  const { error } = await database.collections[name]!.bulkInsert(documents);
  expect(error).toEqual([]);
  stored[name] = documents as Document[];
}

function path(document: Document, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], document);
}

/** Runs the query, checks RxDB planned it on `index`, and that it found what a scan finds. */
async function expectLookup(name: string, query: MangoQuery<Document>, index: string[], matches: (document: Document) => boolean) {
  const collection = database.collections[name] as RxCollection<Document>;
  const rxQuery = collection.find(query);
  expect(rxQuery.getPreparedQuery().queryPlan.index).toEqual(['_deleted', ...index, 'id']);
  const found = (await rxQuery.exec()).map((document) => document.id);
  const expected = stored[name]!.filter(matches).map((document) => document.id);
  expect(expected.length).toBeGreaterThan(0);
  expect(query.sort ? found : [...found].sort()).toEqual(query.sort ? expected : [...expected].sort());
  return found;
}

beforeAll(async () => {
  database = await openRecordsDatabase();
  const registrations = [
    ...Array.from({ length: 300 }, () => syntheticRegistration(source)),
    ...durici.map((person) => registrationOf(person)),
    registrationOf(durici[0]!, { document: { documentCode: 'P', documentNumber: 'AB1234567', issuingState: 'SRB' } }),
    registrationOf(durici[1]!, { document: { documentCode: 'P', documentNumber: 'AB1234567', issuingState: 'HRV' } }),
    registrationOf(durici[2]!, { receivedAt: monday + 5 * DAY, createdAt: monday + DAY, arrivalAt: monday }),
  ];
  await fill('registrations', registrations);

  const crossings = Array.from({ length: 300 }, () => syntheticCrossing(source));
  const original = crossings[17]!;
  const correction = correctionOf(original, { direction: original.direction === 'entry' ? 'exit' : 'entry' }, { stationId: source.stationId, officerId: 'synthetic-officer-2', at: original.createdAt + 60_000 });
  await fill('crossings', [...crossings, correction, { ...syntheticCrossing(source), receivedAt: monday }]);

  const biometrics = crossings.slice(0, 50).flatMap((crossing) => [2, 3, 4, 5].map(() => syntheticBiometric(source, { recordType: 'crossing', recordId: crossing.id })));
  await fill('biometrics', biometrics);

  const audit: AuditEntry[] = [];
  for (let i = 0; i < 200; i++) audit.push(syntheticAuditEntry(source, audit.at(-1)));
  const otherStation = syntheticSource(43, { stationId: 'synthetic-station-2' });
  const otherAudit: AuditEntry[] = [];
  for (let i = 0; i < 50; i++) otherAudit.push(syntheticAuditEntry(otherStation, otherAudit.at(-1)));
  await fill('audit', [...audit, ...otherAudit]);

  await fill('alerts', [
    ...Array.from({ length: 300 }, () => syntheticAlert(source)),
    syntheticAlert(source, { kind: 'lost-stolen-document', documentNumber: 'AB1234567', issuingState: 'SRB', nameKey: '' }),
    syntheticAlert(source, { kind: 'entry-ban', surname: 'Ђурић', givenNames: 'Ана', nameKey: personNameKey('Ђурић', 'Ана'), birthDate: '1980' }),
  ]);
  await fill('officers', Array.from({ length: 50 }, () => syntheticOfficer(source)));
  await fill('codeLists', [
    ...['BIH', 'SRB', 'HRV', 'MNE', 'D'].map((code) => syntheticCodeListEntry(source, 'countries', code)),
    ...['TOURISM', 'BUSINESS', 'FAMILY'].map((code) => syntheticCodeListEntry(source, 'purposes', code)),
  ]);
});

afterAll(async () => {
  await database.remove();
});

describe.each(['registrations', 'crossings'])('%s are found', (name) => {
  it('by document number and issuing state', async () => {
    const sample = stored[name]![123]!;
    const { documentNumber, issuingState } = sample.document as { documentNumber: string; issuingState: string };
    await expectLookup(
      name,
      { selector: { 'document.documentNumber': documentNumber, 'document.issuingState': issuingState } },
      ['document.documentNumber', 'document.issuingState'],
      (document) => path(document, 'document.documentNumber') === documentNumber && path(document, 'document.issuingState') === issuingState,
    );
  });

  it('by exact name and date of birth', async () => {
    const sample = stored[name]![45]!;
    const { nameKey, birthDate } = sample.person as { nameKey: string; birthDate: string };
    await expectLookup(
      name,
      { selector: { 'person.nameKey': nameKey, 'person.birthDate': birthDate } },
      ['person.nameKey', 'person.birthDate'],
      (document) => path(document, 'person.nameKey') === nameKey && path(document, 'person.birthDate') === birthDate,
    );
  });

  it('by date of birth within a year, dates known only in part included', async () => {
    await expectLookup(
      name,
      { selector: { 'person.birthDate': { $gte: '1980', $lt: '1981' } } },
      ['person.birthDate'],
      (document) => String(path(document, 'person.birthDate')).startsWith('1980'),
    );
  });

  it('when not yet on the server (receivedAt 0)', async () => {
    await expectLookup(name, { selector: { receivedAt: 0 } }, ['receivedAt'], (document) => document.receivedAt === 0);
  });

  it('by when they were made on the station', async () => {
    const from = stored[name]![100]!.createdAt as number;
    const to = stored[name]![200]!.createdAt as number;
    await expectLookup(name, { selector: { createdAt: { $gte: from, $lt: to } } }, ['createdAt'], (document) => (document.createdAt as number) >= from && (document.createdAt as number) < to);
  });
});

describe('registrations are found', () => {
  it('by surname in any spelling or script, whatever the given names: Đurić, DJURIC, Ђурић', async () => {
    const found = await expectLookup(
      'registrations',
      { selector: { 'person.nameKey': surnameKeyRange('Djurić') } },
      ['person.nameKey', 'person.birthDate'],
      (document) => String(path(document, 'person.nameKey')).startsWith('DURIC<<'),
    );
    expect(found).toHaveLength(durici.length - 1 + 3);
  });

  it('by name and a date of birth, with the records that know that date only in part or not at all', async () => {
    const found = await expectLookup(
      'registrations',
      { selector: { 'person.nameKey': personNameKey('Đurić', 'Ana'), 'person.birthDate': { $in: ['', '1980', '1980-05', '1980-05-01'] } } },
      ['person.nameKey', 'person.birthDate'],
      (document) => path(document, 'person.nameKey') === 'DURIC<<ANA',
    );
    // Đurić Ana born 1980-05-01 (two records) and born when unknown; DJURIC ANA born 1980 (two records).
    expect(found).toHaveLength(5);
  });

  it('by arrival within a week', async () => {
    await expectLookup(
      'registrations',
      { selector: { arrivalAt: { $gte: monday, $lt: monday + 7 * DAY } } },
      ['arrivalAt'],
      (document) => (document.arrivalAt as number) >= monday && (document.arrivalAt as number) < monday + 7 * DAY,
    );
  });
});

describe('crossings are found', () => {
  it('by when the traveller crossed', async () => {
    const from = stored.crossings![50]!.occurredAt as number;
    const to = stored.crossings![150]!.occurredAt as number;
    await expectLookup('crossings', { selector: { occurredAt: { $gte: from, $lt: to } } }, ['occurredAt'], (document) => (document.occurredAt as number) >= from && (document.occurredAt as number) < to);
  });

  it('by the crossing a correction corrects', async () => {
    const original = stored.crossings![17]!;
    const found = await expectLookup('crossings', { selector: { correctsId: original.id } }, ['correctsId'], (document) => document.correctsId === original.id);
    expect(found).toHaveLength(1);
  });
});

describe('biometrics are found', () => {
  it('by the record they belong to', async () => {
    const crossing = stored.crossings![7]!;
    const found = await expectLookup('biometrics', { selector: { recordId: crossing.id } }, ['recordId'], (document) => document.recordId === crossing.id);
    expect(found).toHaveLength(4);
  });

  it('when not yet on the server', async () => {
    await expectLookup('biometrics', { selector: { receivedAt: 0 } }, ['receivedAt'], (document) => document.receivedAt === 0);
  });
});

describe('the audit trail is read', () => {
  it("in sequence, for one station, from a given entry on", async () => {
    const found = await expectLookup(
      'audit',
      { selector: { stationId: 'synthetic-station-1', sequence: { $gt: 150 } }, sort: [{ sequence: 'asc' }] },
      ['stationId', 'sequence'],
      (document) => document.stationId === 'synthetic-station-1' && (document.sequence as number) > 150,
    );
    expect(found).toHaveLength(50);
  });

  it('for one record: who looked at it or changed it, in time order', async () => {
    const viewed = stored.audit!.find((entry) => entry.recordId !== '')!;
    await expectLookup(
      'audit',
      { selector: { recordId: viewed.recordId }, sort: [{ recordId: 'asc' }, { createdAt: 'asc' }] },
      ['recordId', 'createdAt'],
      (document) => document.recordId === viewed.recordId,
    );
  });

  it('by time', async () => {
    const from = stored.audit![120]!.createdAt as number;
    await expectLookup('audit', { selector: { createdAt: { $gte: from } } }, ['createdAt'], (document) => (document.createdAt as number) >= from);
  });

  it('when not yet on the server', async () => {
    await expectLookup('audit', { selector: { receivedAt: 0 } }, ['receivedAt'], (document) => document.receivedAt === 0);
  });
});

describe('alerts are found', () => {
  it('by document number and issuing state', async () => {
    await expectLookup(
      'alerts',
      { selector: { documentNumber: 'AB1234567', issuingState: { $in: ['SRB', ''] } } },
      ['documentNumber', 'issuingState'],
      (document) => document.documentNumber === 'AB1234567' && (document.issuingState === 'SRB' || document.issuingState === ''),
    );
  });

  it('by surname in another script', async () => {
    const found = await expectLookup(
      'alerts',
      { selector: { nameKey: surnameKeyRange('Đurić') } },
      ['nameKey'],
      (document) => String(document.nameKey).startsWith('DURIC<<'),
    );
    expect(found).toHaveLength(1);
  });
});

describe('reference data is found', () => {
  it('an officer by username, for login', async () => {
    const officer = stored.officers![9]!;
    const found = await expectLookup('officers', { selector: { username: officer.username } }, ['username'], (document) => document.username === officer.username);
    expect(found).toEqual([officer.id]);
  });

  it('a code list, whole', async () => {
    const found = await expectLookup('codeLists', { selector: { list: 'countries' } }, ['list'], (document) => document.list === 'countries');
    expect(found).toContain('countries|BIH');
  });

  it('a code list entry by its id, list|code', async () => {
    const entry = await database.collections.codeLists!.findOne('purposes|FAMILY').exec();
    expect(entry?.get('code')).toBe('FAMILY');
  });
});
