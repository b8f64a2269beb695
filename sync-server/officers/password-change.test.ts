import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/identity';
import type { WireDocument } from '../../domain/sync';
import { buildSyncServer } from '../app';
import { scryptDerive } from '../auth/passwords';
import { serverErrorBody } from '../errors';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';
import { addOfficer } from './officers';
import { PasswordAttempts } from './password-change';

const MINUTE = 60_000;

describe('an officer changing their own password (POST /sync/officers/:id/password)', () => {
  let repository: SyncRepository;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let clock = Date.UTC(2026, 10, 23, 8);

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-password-')) });
    app = await buildSyncServer({ repository, logger: false, now: () => clock });
    for (const stationId of ['BIH-W-01', 'BIH-W-02']) {
      tokens[stationId] = (await addStation(repository, { id: stationId, name: stationId, kind: 'border-crossing', municipality: 'Bihać', crossingPointCode: 'IZ' }, clock)).token;
    }
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  async function newOfficer(username: string): Promise<{ id: string; oneTimePassword: string }> {
    const { officer, oneTimePassword } = await addOfficer(repository, { username, name: 'Synthetic Officer', badgeNumber: 'W-1', role: 'officer', stationIds: ['BIH-W-01'] }, clock);
    return { id: officer.id, oneTimePassword };
  }

  function change(officerId: string, body: { currentPassword: string; newPassword: string }, options: { station?: string; actingFor?: string } = {}) {
    return app.inject({
      method: 'POST',
      url: `/sync/officers/${officerId}/password`,
      headers: { authorization: `Bearer ${tokens[options.station ?? 'BIH-W-01']}`, 'x-mis-officer': options.actingFor ?? officerId },
      payload: body,
    });
  }

  async function expectRefused(response: Awaited<ReturnType<typeof change>>, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    const body = serverErrorBody.parse(response.json());
    expect(body.code).toBe(code);
    return body;
  }

  async function pulledOfficer(id: string): Promise<WireDocument | undefined> {
    const response = await app.inject({ method: 'GET', url: '/sync/officers/pull?after=0&limit=1000', headers: { authorization: `Bearer ${tokens['BIH-W-01']}` } });
    return (response.json() as { documents: WireDocument[] }).documents.find((document) => document.id === id);
  }

  it('replaces the one-time password: the answer, and the next pull, carry a hash of the new one', async () => {
    const officer = await newOfficer('first.login');
    const response = await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' });
    expect(response.statusCode).toBe(200);
    const answer = response.json() as WireDocument;
    expect(answer).toMatchObject({ id: officer.id, mustChangePassword: false, _deleted: false, updatedAt: clock });

    const pulled = await pulledOfficer(officer.id);
    expect(pulled).toEqual(answer);
    expect(await verifyPassword(pulled!.passwordHash as string, 'river una in spring', scryptDerive)).toBe(true);
    expect(await verifyPassword(pulled!.passwordHash as string, officer.oneTimePassword, scryptDerive)).toBe(false);
  });

  it('refuses a wrong current password with PASSWORD_WRONG and changes nothing', async () => {
    const officer = await newOfficer('wrong.current');
    const sequence = await repository.lastSequence();
    await expectRefused(await change(officer.id, { currentPassword: 'not the one at all', newPassword: 'river una in spring' }), 403, 'PASSWORD_WRONG');
    expect(await repository.lastSequence()).toBe(sequence);
  });

  it('refuses a weak new password with PASSWORD_WEAK, listing what is wrong', async () => {
    const officer = await newOfficer('weak.choice');
    const body = await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'weak.choice' }), 422, 'PASSWORD_WEAK');
    expect(body.issues?.map((issue) => issue.message)).toEqual(['The password must be at least 12 characters long.', 'The password must not be your username.']);
    const same = await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: officer.oneTimePassword }), 422, 'PASSWORD_WEAK');
    expect(same.message).toMatch(/differ from the current one/);
  });

  it('lets an officer change only their own password', async () => {
    const officer = await newOfficer('own.only');
    const other = await newOfficer('someone.else');
    await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' }, { actingFor: other.id }), 403, 'PASSWORD_NOT_OWN');
  });

  it('refuses a station the officer does not belong to', async () => {
    const officer = await newOfficer('home.station');
    await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' }, { station: 'BIH-W-02' }), 403, 'OFFICER_NOT_OF_STATION');
  });

  it('asks for a reset when the server holds no hash of ours for the officer', async () => {
    const officer = await newOfficer('old.hash');
    const { _deleted, ...stored } = (await pulledOfficer(officer.id))!;
    await repository.transaction((tx) => tx.write([{ collection: 'officers', id: officer.id, stationId: null, document: { ...stored, passwordHash: '$synthetic$0123', _deleted }, writtenBy: CENTRAL_WRITER }], clock));
    await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' }), 409, 'PASSWORD_RESET_NEEDED');
  });

  it('stops taking current passwords after five wrong ones in 15 minutes, even the right one, then takes them again', async () => {
    const officer = await newOfficer('many.tries');
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectRefused(await change(officer.id, { currentPassword: `guess number ${attempt}`, newPassword: 'river una in spring' }), 403, 'PASSWORD_WRONG');
    }
    await expectRefused(await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' }), 429, 'PASSWORD_ATTEMPTS');
    clock += 15 * MINUTE + 1;
    expect((await change(officer.id, { currentPassword: officer.oneTimePassword, newPassword: 'river una in spring' })).statusCode).toBe(200);
  });
});

describe('PasswordAttempts', () => {
  it('refuses after the limit within the window, for that officer only, until the oldest failure leaves it', () => {
    const attempts = new PasswordAttempts(3, 10 * MINUTE);
    attempts.failed('a', 0);
    attempts.failed('a', 2 * MINUTE);
    expect(attempts.waitMs('a', 3 * MINUTE)).toBe(0);
    attempts.failed('a', 4 * MINUTE);
    expect(attempts.waitMs('a', 5 * MINUTE)).toBe(5 * MINUTE);
    expect(attempts.waitMs('b', 5 * MINUTE)).toBe(0);
    expect(attempts.waitMs('a', 10 * MINUTE + 1)).toBe(0);
  });

  it('forgets the failures once the password is right', () => {
    const attempts = new PasswordAttempts(2, 10 * MINUTE);
    attempts.failed('a', 0);
    attempts.failed('a', 1);
    expect(attempts.waitMs('a', 2)).toBeGreaterThan(0);
    attempts.succeeded('a');
    expect(attempts.waitMs('a', 2)).toBe(0);
  });
});
