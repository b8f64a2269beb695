import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/identity';
import { syntheticOfficer, syntheticSource } from '../../domain/records';
import type { WireDocument } from '../../domain/sync';
import { buildSyncServer } from '../app';
import { ADMIN_PRINCIPAL, issueCredential } from '../auth/credentials';
import { scryptDerive } from '../auth/passwords';
import { serverErrorBody } from '../errors';
import { ImportError, importReference } from '../reference/import';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';

describe('officer accounts, managed centrally', () => {
  let repository: SyncRepository;
  let app: FastifyInstance;
  let admin: string;
  const stationTokens: Record<string, string> = {};

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-officers-')) });
    app = await buildSyncServer({ repository, logger: false });
    admin = (await issueCredential(repository, ADMIN_PRINCIPAL)).token;
    for (const stationId of ['BIH-O-01', 'BIH-O-02']) {
      stationTokens[stationId] = (await addStation(repository, { id: stationId, name: stationId, kind: 'police-station', municipality: 'Tuzla' }, Date.now())).token;
    }
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });

  /** The officer as the server stores it, hash included. */
  async function stored(id: string): Promise<WireDocument> {
    const record = (await repository.transaction((tx) => tx.read('officers', [id]))).get(id);
    if (!record) throw new Error(`officer ${id} is not stored`);
    return record.document;
  }

  async function pulledOfficers(stationId: string): Promise<WireDocument[]> {
    const response = await app.inject({ method: 'GET', url: '/sync/officers/pull?after=0&limit=1000', headers: { authorization: `Bearer ${stationTokens[stationId]}` } });
    expect(response.statusCode).toBe(200);
    return (response.json() as { documents: WireDocument[] }).documents;
  }

  const newOfficer = (username: string, overrides: object = {}) => ({ username, name: 'Synthetic Officer', badgeNumber: 'b-100', role: 'officer', stationIds: ['BIH-O-01'], ...overrides });

  it('adds an officer with a one-time password that the stored hash verifies, to be changed at the first login', async () => {
    const response = await asAdmin('POST', '/admin/officers', newOfficer(' First.Admin ', { role: 'admin', badgeNumber: ' ba-1/7 ' }));
    expect(response.statusCode).toBe(201);
    const { officer, oneTimePassword } = response.json() as { officer: Record<string, unknown> & { id: string }; oneTimePassword: string };
    expect(oneTimePassword).toMatch(/^[a-hjkmnp-z2-9]{20}$/);
    expect(officer).toMatchObject({ username: 'first.admin', badgeNumber: 'BA-1/7', role: 'admin', stationIds: ['BIH-O-01'], active: true, mustChangePassword: true });
    expect(officer).not.toHaveProperty('passwordHash');

    const document = await stored(officer.id);
    expect(document.passwordHash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(await verifyPassword(document.passwordHash as string, oneTimePassword, scryptDerive)).toBe(true);
    expect(await verifyPassword(document.passwordHash as string, `${oneTimePassword}x`, scryptDerive)).toBe(false);
  });

  it('gives the hash to the officer\'s own stations only: the others pull the withheld marker', async () => {
    const { officer } = (await asAdmin('POST', '/admin/officers', newOfficer('only.o1'))).json() as { officer: { id: string } };
    const hash = (await stored(officer.id)).passwordHash;
    expect((await pulledOfficers('BIH-O-01')).find((document) => document.id === officer.id)?.passwordHash).toBe(hash);
    expect((await pulledOfficers('BIH-O-02')).find((document) => document.id === officer.id)?.passwordHash).toBe('!withheld');
  });

  it('refuses a username that is taken, whatever its capitals, with OFFICER_EXISTS', async () => {
    expect((await asAdmin('POST', '/admin/officers', newOfficer('taken.name'))).statusCode).toBe(201);
    const sequence = await repository.lastSequence();
    const response = await asAdmin('POST', '/admin/officers', newOfficer('Taken.Name', { stationIds: ['BIH-O-02'] }));
    expect(response.statusCode).toBe(409);
    expect(serverErrorBody.parse(response.json()).code).toBe('OFFICER_EXISTS');
    expect(await repository.lastSequence()).toBe(sequence);
  });

  it('gives a username to one of two administrators adding it at the same moment', async () => {
    const answers = await Promise.all([asAdmin('POST', '/admin/officers', newOfficer('at.once')), asAdmin('POST', '/admin/officers', newOfficer('AT.ONCE'))]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
  });

  it.each([
    ['a badge number with spaces', { badgeNumber: 'B 12' }, '/badgeNumber'],
    ['an unknown role', { role: 'chief' }, '/role'],
    ['no station', { stationIds: [] }, '/stationIds'],
    ['a password of its own', { passwordHash: 'hunter2hunter2' }, '/'],
    ['a username with spaces', { username: 'two words' }, '/username'],
  ])('refuses %s with OFFICER_INVALID, saying where', async (_what, overrides, path) => {
    const response = await asAdmin('POST', '/admin/officers', newOfficer('valid.name', overrides));
    expect(response.statusCode).toBe(422);
    const body = serverErrorBody.parse(response.json());
    expect(body.code).toBe('OFFICER_INVALID');
    expect(body.issues?.map((issue) => issue.path)).toContain(path);
  });

  it('refuses a station the server does not know', async () => {
    const response = await asAdmin('POST', '/admin/officers', newOfficer('lost.officer', { stationIds: ['BIH-O-99'] }));
    expect(response.statusCode).toBe(422);
    expect(serverErrorBody.parse(response.json())).toMatchObject({ code: 'OFFICER_INVALID', message: expect.stringContaining('BIH-O-99') });
  });

  it('changes role, stations and badge, and writes nothing when nothing changes', async () => {
    const { officer } = (await asAdmin('POST', '/admin/officers', newOfficer('moves.around'))).json() as { officer: { id: string } };
    const response = await asAdmin('PATCH', `/admin/officers/${officer.id}`, { role: 'supervisor', stationIds: ['BIH-O-01', 'BIH-O-02'], badgeNumber: 'b-200' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ officer: { role: 'supervisor', stationIds: ['BIH-O-01', 'BIH-O-02'], badgeNumber: 'B-200' } });
    const record = (await repository.transaction((tx) => tx.read('officers', [officer.id]))).get(officer.id);
    expect(record).toMatchObject({ writtenBy: CENTRAL_WRITER, stationId: null, document: { role: 'supervisor' } });
    expect((await pulledOfficers('BIH-O-02')).find((document) => document.id === officer.id)?.passwordHash).toMatch(/^\$scrypt\$/);

    const sequence = await repository.lastSequence();
    expect((await asAdmin('PATCH', `/admin/officers/${officer.id}`, { role: 'supervisor' })).statusCode).toBe(200);
    expect(await repository.lastSequence()).toBe(sequence);
  });

  it('answers OFFICER_UNKNOWN for an officer it does not have', async () => {
    for (const response of [await asAdmin('PATCH', '/admin/officers/nobody', { role: 'admin' }), await asAdmin('POST', '/admin/officers/nobody/reset-password')]) {
      expect(response.statusCode).toBe(404);
      expect(serverErrorBody.parse(response.json()).code).toBe('OFFICER_UNKNOWN');
    }
  });

  it('resets a password: a new one-time password works, the old one no longer does', async () => {
    const added = (await asAdmin('POST', '/admin/officers', newOfficer('forgot.it'))).json() as { officer: { id: string }; oneTimePassword: string };
    const response = await asAdmin('POST', `/admin/officers/${added.officer.id}/reset-password`);
    expect(response.statusCode).toBe(200);
    const { officer, oneTimePassword } = response.json() as { officer: Record<string, unknown>; oneTimePassword: string };
    expect(officer).toMatchObject({ mustChangePassword: true });
    expect(oneTimePassword).not.toBe(added.oneTimePassword);
    const hash = (await stored(added.officer.id)).passwordHash as string;
    expect(await verifyPassword(hash, oneTimePassword, scryptDerive)).toBe(true);
    expect(await verifyPassword(hash, added.oneTimePassword, scryptDerive)).toBe(false);
  });

  it('lists officers without their password hashes', async () => {
    const response = await asAdmin('GET', '/admin/officers');
    expect(response.statusCode).toBe(200);
    const { officers } = response.json() as { officers: Record<string, unknown>[] };
    expect(officers.map((officer) => officer.username)).toContain('first.admin');
    expect(response.body).not.toContain('$scrypt$');
  });

  it('needs an administrator credential: a station\'s is not one', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/officers', headers: { authorization: `Bearer ${stationTokens['BIH-O-01']}` } });
    expect(response.statusCode).toBe(401);
    expect(serverErrorBody.parse(response.json()).code).toBe('ADMIN_NOT_AUTHENTICATED');
  });

  it('serves officers stored before badge numbers as stations migrate them', async () => {
    const { badgeNumber: _b, mustChangePassword: _m, ...before } = syntheticOfficer(syntheticSource(3), { id: 'officer-v0', username: 'from.version0', stationIds: ['BIH-O-01'] });
    await repository.transaction((tx) => tx.write([{ collection: 'officers', id: before.id, stationId: null, document: { ...before, _deleted: false }, writtenBy: CENTRAL_WRITER }], Date.now()));
    const pulled = (await pulledOfficers('BIH-O-02')).find((document) => document.id === 'officer-v0');
    expect(pulled).toMatchObject({ badgeNumber: 'UNKNOWN', mustChangePassword: false, passwordHash: '!withheld' });
    // And an administrator can give it its badge number.
    const response = await asAdmin('PATCH', '/admin/officers/officer-v0', { badgeNumber: 'K-77' });
    expect(response.json()).toMatchObject({ officer: { badgeNumber: 'K-77', mustChangePassword: false } });
  });
});

describe('the officers import', () => {
  let repository: SyncRepository;
  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-officer-import-')) });
  });
  afterAll(() => repository.close());

  it('refuses a plaintext password in place of a hash, stores nothing, and does not repeat it', async () => {
    const source = syntheticSource(5);
    const officers = [syntheticOfficer(source, { id: 'officer-a' }), syntheticOfficer(source, { id: 'officer-b', passwordHash: 'Sarajevo2026!' })];
    const failure = await importReference(repository, 'officers', officers).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).issues).toEqual([{ path: '/1/passwordHash', message: expect.any(String) }]);
    expect(JSON.stringify({ message: (failure as ImportError).message, issues: (failure as ImportError).issues })).not.toContain('Sarajevo2026!');
    expect(await repository.count('officers')).toBe(0);
  });

  it("refuses the audit trail's names for no officer (system, unknown) as an officer's id", async () => {
    const source = syntheticSource(8);
    for (const id of ['system', 'unknown']) {
      const failure = await importReference(repository, 'officers', [syntheticOfficer(source, { id })]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ImportError);
      expect((failure as ImportError).issues).toEqual([{ path: '/0/id', message: expect.stringMatching(/names for no officer/) }]);
    }
    expect(await repository.count('officers')).toBe(0);
  });

  it('takes officers whose hashes are in our format', async () => {
    const source = syntheticSource(6);
    const result = await importReference(repository, 'officers', [syntheticOfficer(source, { id: 'officer-c' })]);
    expect(result.written).toBe(1);
  });

  it('keeps the password the server holds when an officer is imported again, and takes the other changes', async () => {
    const source = syntheticSource(7);
    const first = syntheticOfficer(source, { id: 'officer-d', mustChangePassword: false });
    await importReference(repository, 'officers', [first]);
    const older = syntheticOfficer(source, { id: 'officer-d', name: 'Renamed Officer', mustChangePassword: true });
    expect(older.passwordHash).not.toBe(first.passwordHash);
    await importReference(repository, 'officers', [older]);
    const stored = (await repository.transaction((tx) => tx.read('officers', ['officer-d']))).get('officer-d')!.document;
    expect(stored).toMatchObject({ name: 'Renamed Officer', passwordHash: first.passwordHash, mustChangePassword: false });
  });
});
