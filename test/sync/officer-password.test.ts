import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/identity';
import type { Officer } from '../../domain/records';
import { scryptDerive } from '../../main/auth/scrypt';
import { SyncRequestError } from '../../main/sync/sync-client';
import { addOfficer } from '../../sync-server/officers/officers';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { eventually, seedServer, startServer, startStation, type RunningServer, type RunningStation, type SeededStation } from '../support/sync-rig';

/**
 * A station changing an officer's password through the server, and what the station then
 * holds for its offline logins: the officer's first login with a one-time password.
 */
describe('a station changing an officer\'s password', () => {
  let repository: SyncRepository;
  let server: RunningServer;
  let seeded: SeededStation[];
  let station: RunningStation | undefined;
  let officer: { id: string; oneTimePassword: string };

  beforeEach(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-officer-password-')) });
    server = await startServer(repository);
    seeded = await seedServer(repository, ['BIH-K-01'], { alerts: 0 });
    const added = await addOfficer(repository, { username: 'new.officer', name: 'Synthetic Officer', badgeNumber: 'K-1', role: 'officer', stationIds: ['BIH-K-01'] }, Date.now());
    officer = { id: added.officer.id, oneTimePassword: added.oneTimePassword };
  });
  afterEach(async () => {
    await station?.close();
    station = undefined;
    await server.app.close();
    await repository.close();
  });

  async function localOfficer(id: string): Promise<Officer | undefined> {
    return (await station!.store.database.collections.officers.findOne(id).exec())?.toJSON() as Officer | undefined;
  }

  it('stores the officer\'s new hash at once, so that the next login, offline too, takes the new password', async () => {
    station = await startStation(seeded[0]!, server.url);
    await eventually(async () => (await localOfficer(officer.id)) !== undefined, 'the station has pulled the new officer');
    expect((await localOfficer(officer.id))?.mustChangePassword).toBe(true);

    await station.sync.changePassword(officer.id, officer.oneTimePassword, 'neretva under the bridge');

    const local = await localOfficer(officer.id);
    expect(local?.mustChangePassword).toBe(false);
    expect(await verifyPassword(local!.passwordHash, 'neretva under the bridge', scryptDerive)).toBe(true);
    expect(await verifyPassword(local!.passwordHash, officer.oneTimePassword, scryptDerive)).toBe(false);
    // The pull that follows brings the same document: it stays as it is.
    await station.sync.syncNow();
    expect(await localOfficer(officer.id)).toEqual(local);
  });

  it('passes the server\'s refusal on with its code, and keeps the old password', async () => {
    station = await startStation(seeded[0]!, server.url);
    await eventually(async () => (await localOfficer(officer.id)) !== undefined, 'the station has pulled the new officer');
    const before = await localOfficer(officer.id);
    const refusal = await station.sync.changePassword(officer.id, 'not the password', 'neretva under the bridge').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SyncRequestError);
    expect(refusal).toMatchObject({ code: 'PASSWORD_WRONG', status: 403 });
    expect(await localOfficer(officer.id)).toEqual(before);
  });

  it('fails with NETWORK when the server cannot be reached', async () => {
    station = await startStation(seeded[0]!, server.url, { start: false });
    await server.app.close();
    station.sync.start();
    await expect(station.sync.changePassword(officer.id, officer.oneTimePassword, 'neretva under the bridge')).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('asks for the conflict log for the officer logged in, whom the server checks', async () => {
    station = await startStation(seeded[0]!, server.url);
    const [supervisor, plainOfficer] = seeded[0]!.officers;
    expect(await station.sync.conflictLog(supervisor!.id)).toEqual([]);
    await expect(station.sync.conflictLog(plainOfficer!.id)).rejects.toMatchObject({ code: 'ROLE_REFUSED', status: 403 });
  });
});
