import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticOfficer, syntheticSource } from '../../domain/records';
import { buildSyncServer } from '../app';
import { serverErrorBody } from '../errors';
import { importReference } from '../reference/import';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';

describe('what the server does for an officer (X-MIS-Officer), on the conflict log', () => {
  let repository: SyncRepository;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-acting-')) });
    app = await buildSyncServer({ repository, logger: false });
    token = (await addStation(repository, { id: 'BIH-R-01', name: 'R1', kind: 'police-station', municipality: 'Zenica' }, Date.now())).token;
    await addStation(repository, { id: 'BIH-R-02', name: 'R2', kind: 'police-station', municipality: 'Zenica' }, Date.now());
    const source = syntheticSource(11);
    const officer = (id: string, role: 'officer' | 'supervisor' | 'admin', stationId: string, active = true) =>
      syntheticOfficer(source, { id, username: id, role, stationIds: [stationId], active });
    await importReference(repository, 'officers', [
      officer('r1-officer', 'officer', 'BIH-R-01'),
      officer('r1-supervisor', 'supervisor', 'BIH-R-01'),
      officer('r1-admin', 'admin', 'BIH-R-01'),
      officer('r1-former', 'supervisor', 'BIH-R-01', false),
      officer('r2-supervisor', 'supervisor', 'BIH-R-02'),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  const conflicts = (officerId?: string) =>
    app.inject({ method: 'GET', url: '/sync/conflicts', headers: { authorization: `Bearer ${token}`, ...(officerId === undefined ? {} : { 'x-mis-officer': officerId }) } });

  it.each([
    ['a supervisor of the station', 'r1-supervisor'],
    ['an admin of the station', 'r1-admin'],
  ])('gives the log to %s', async (_who, officerId) => {
    const response = await conflicts(officerId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ conflicts: [] });
  });

  it.each([
    ['no officer named', undefined, 'OFFICER_REQUIRED'],
    ['an empty header', '', 'OFFICER_REQUIRED'],
    ['an officer below supervisor', 'r1-officer', 'ROLE_REFUSED'],
    ['a supervisor of another station', 'r2-supervisor', 'OFFICER_NOT_OF_STATION'],
    ['an officer the server does not know', 'r1-nobody', 'OFFICER_NOT_OF_STATION'],
    ['a deactivated supervisor', 'r1-former', 'OFFICER_INACTIVE'],
  ])('refuses %s with 403 %s', async (_who, officerId, code) => {
    const response = await conflicts(officerId);
    expect(response.statusCode).toBe(403);
    expect(serverErrorBody.parse(response.json()).code).toBe(code);
  });

  it('names the role needed when it refuses one', async () => {
    const body = serverErrorBody.parse((await conflicts('r1-officer')).json());
    expect(body.message).toMatch(/supervisor or higher/);
  });

  it('checks the station credential before the officer', async () => {
    const response = await app.inject({ method: 'GET', url: '/sync/conflicts', headers: { 'x-mis-officer': 'r1-supervisor' } });
    expect(response.statusCode).toBe(401);
    expect(serverErrorBody.parse(response.json()).code).toBe('STATION_NOT_AUTHENTICATED');
  });
});
