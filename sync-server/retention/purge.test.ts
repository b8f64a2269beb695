import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticBiometric, syntheticCrossing, syntheticRegistration, syntheticSource, type Crossing, type SyntheticSource } from '../../domain/records';
import { OVERSTAY_CHECK, type RetainedCollection } from '../../domain/retention';
import { defaultRules } from '../../domain/rules';
import type { WireDocument } from '../../domain/sync';
import { buildSyncServer } from '../app';
import { ADMIN_PRINCIPAL, issueCredential } from '../auth/credentials';
import { openRepository } from '../store/open';
import type { RecordWrite, SyncRepository } from '../store/repository';
import { describeRetentionRun, runRetentionPurge } from './purge';

const STATION = 'BIH-R-01';
const at = (iso: string): number => Date.parse(iso);
/** The run decides for this moment: records of 2020 are past 3 years, those of 2023 are not. */
const NOW = at('2024-06-01T00:00:00Z');

type Record = { id: string; stationId: string };
const stored = (collection: RetainedCollection, record: Record): RecordWrite => ({
  collection,
  id: record.id,
  stationId: record.stationId,
  document: { ...record, _deleted: false } as unknown as WireDocument,
  writtenBy: `station:${record.stationId}`,
});

const overstayExit = (source: SyntheticSource, document: Crossing['document']): Crossing =>
  syntheticCrossing(source, { direction: 'exit', document, checks: [{ check: OVERSTAY_CHECK, severity: 'critical', outcome: 'failed' }] });

describe('the server purge of records past their retention period', () => {
  let repository: SyncRepository;
  let app: FastifyInstance | undefined;

  /** Synthetic records of 2020 and 2023: who goes and who stays, by the rules. */
  async function seed() {
    const old = syntheticSource(41, { from: at('2020-02-01T00:00:00Z'), stationId: STATION });
    const recent = syntheticSource(42, { from: at('2023-06-01T00:00:00Z'), stationId: STATION });
    const oldRegistration = syntheticRegistration(old);
    const oldCrossing = syntheticCrossing(old, { direction: 'entry' });
    const oldCapture = syntheticBiometric(old, { recordType: 'crossing', recordId: oldCrossing.id });
    // An overstayer: their old registration and crossings stay 5 years.
    const overstayerEntry = syntheticCrossing(old, { direction: 'entry' });
    const overstayerRegistration = syntheticRegistration(old, { document: overstayerEntry.document });
    const overstayerExit = overstayExit(old, overstayerEntry.document);
    const overstayerCapture = syntheticBiometric(old, { recordType: 'registration', recordId: overstayerRegistration.id });
    // Back a year and a half later: past 3 years in 2025, kept as an overstayer's until 2026.
    const overstayerReentry = syntheticCrossing(syntheticSource(43, { from: at('2021-09-01T00:00:00Z'), stationId: STATION }), { direction: 'entry', document: overstayerEntry.document });
    // A capture whose crossing the server never got: it goes by its own date.
    const orphanCapture = syntheticBiometric(old, { recordType: 'crossing', recordId: syntheticCrossing(old).id });
    const recentRegistration = syntheticRegistration(recent);
    const recentCrossing = syntheticCrossing(recent);
    const recentOrphan = syntheticBiometric(recent, { recordType: 'crossing', recordId: syntheticCrossing(recent).id });
    await repository.transaction((tx) =>
      tx.write(
        [
          stored('registrations', oldRegistration),
          stored('crossings', oldCrossing),
          stored('biometrics', oldCapture),
          stored('crossings', overstayerEntry),
          stored('registrations', overstayerRegistration),
          stored('crossings', overstayerExit),
          stored('biometrics', overstayerCapture),
          stored('crossings', overstayerReentry),
          stored('biometrics', orphanCapture),
          stored('registrations', recentRegistration),
          stored('crossings', recentCrossing),
          stored('biometrics', recentOrphan),
        ],
        at('2024-01-01T00:00:00Z'),
      ),
    );
    // A second version and a conflict: personal data in the history and the conflict log.
    await repository.transaction((tx) => tx.write([stored('registrations', { ...oldRegistration, purposeCode: 'BUSINESS' } as Record)], at('2024-01-02T00:00:00Z')));
    const kept = { ...oldRegistration, _deleted: false } as unknown as WireDocument;
    await repository.transaction((tx) =>
      tx.logConflict({ collection: 'registrations', recordId: oldRegistration.id, stationId: STATION, kept, setAside: { ...kept, purposeCode: 'STUDY' }, rule: 'server-version-kept' }, NOW),
    );
    return {
      purged: { registrations: [oldRegistration.id], crossings: [oldCrossing.id], biometrics: [oldCapture.id, orphanCapture.id] },
      kept: {
        registrations: [overstayerRegistration.id, recentRegistration.id],
        crossings: [overstayerEntry.id, overstayerExit.id, overstayerReentry.id, recentCrossing.id],
        biometrics: [overstayerCapture.id, recentOrphan.id],
      },
    };
  }

  const held = async (collection: RetainedCollection): Promise<string[]> => (await repository.pull(collection, { kind: 'all' }, 0, 100)).records.map((record) => record.id).sort();
  const heldEverywhere = async () => ({ registrations: await held('registrations'), crossings: await held('crossings'), biometrics: await held('biometrics') });
  const sorted = (ids: { [C in RetainedCollection]: string[] }) => ({ registrations: [...ids.registrations].sort(), crossings: [...ids.crossings].sort(), biometrics: [...ids.biometrics].sort() });

  beforeEach(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-retention-')) });
    await repository.migrate();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await repository.close();
  });

  it('changes nothing in a dry run, and counts what a run would purge', async () => {
    const { purged, kept } = await seed();
    const result = await runRetentionPurge(repository, { now: NOW, rules: defaultRules, dryRun: true });
    expect(result).toMatchObject({ dryRun: true, completed: true, purged: { registrations: 1, crossings: 1, biometrics: 2 } });
    expect(await heldEverywhere()).toEqual(sorted({ registrations: [...purged.registrations, ...kept.registrations], crossings: [...purged.crossings, ...kept.crossings], biometrics: [...purged.biometrics, ...kept.biometrics] }));
    expect(await repository.history('registrations', purged.registrations[0]!)).toHaveLength(2);
    expect(await repository.retentionPurges({})).toEqual([]);
    expect(describeRetentionRun(result)).toMatch(/dry run[\s\S]*registrations: 1 would be purged[\s\S]*biometrics: 2 would be purged/);
  });

  it('purges old records with their captures, history and conflicts; keeps recent ones and overstayers’; purges nothing more the second time', async () => {
    const { purged, kept } = await seed();
    const first = await runRetentionPurge(repository, { now: NOW, rules: defaultRules });
    expect(first).toMatchObject({ dryRun: false, completed: true, purged: { registrations: 1, crossings: 1, biometrics: 2 } });
    expect(await heldEverywhere()).toEqual(sorted(kept));
    for (const collection of ['registrations', 'crossings', 'biometrics'] as const) {
      for (const id of purged[collection]) expect(await repository.history(collection, id)).toEqual([]);
      for (const id of kept[collection]) expect(await repository.history(collection, id)).not.toEqual([]);
    }
    expect(await repository.conflicts({})).toEqual([]);

    const second = await runRetentionPurge(repository, { now: NOW, rules: defaultRules });
    expect(second.purged).toEqual({ registrations: 0, crossings: 0, biometrics: 0 });
    expect(await heldEverywhere()).toEqual(sorted(kept));
    expect((await repository.retentionPurges({})).map((purge) => [purge.runId, purge.collection, purge.purged])).toEqual(
      [
        [first.runId, 'biometrics', 2],
        [first.runId, 'crossings', 1],
        [first.runId, 'registrations', 1],
        [second.runId, 'biometrics', 0],
        [second.runId, 'crossings', 0],
        [second.runId, 'registrations', 0],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0)),
    );
  });

  it("purges an overstayer's records after the overstayers' years, whatever the page size, as a dry run said it would", async () => {
    const { kept } = await seed();
    const later = at('2025-12-01T00:00:00Z');
    const dry = await runRetentionPurge(repository, { now: later, rules: defaultRules, dryRun: true, pageSize: 1 });
    const run = await runRetentionPurge(repository, { now: later, rules: defaultRules, pageSize: 1 });
    expect(run.purged).toEqual(dry.purged);
    // 2020's all go (the overstayer's too, past 5 years); the overstayer's return of 2021
    // stays, though its overstay exit went earlier in the same run; 2023's stay.
    expect(run.purged).toEqual({ registrations: 2, crossings: 3, biometrics: 3 });
    expect(await heldEverywhere()).toEqual(sorted({ registrations: [kept.registrations[1]!], crossings: [kept.crossings[2]!, kept.crossings[3]!], biometrics: [kept.biometrics[1]!] }));
  });

  it('keeps the retention periods of the rules it is given', async () => {
    await seed();
    const longer = { retention: { ...defaultRules.retention, accommodationRegisterYears: 10, borderRecordYears: 10 } };
    expect((await runRetentionPurge(repository, { now: NOW, rules: longer })).purged).toEqual({ registrations: 0, crossings: 0, biometrics: 0 });
  });

  it('lists the runs to an administrator, and to nobody else', async () => {
    await seed();
    const run = await runRetentionPurge(repository, { now: NOW, rules: defaultRules });
    app = await buildSyncServer({ repository, logger: false });
    const admin = (await issueCredential(repository, ADMIN_PRINCIPAL)).token;
    const listed = await app.inject({ method: 'GET', url: '/admin/retention/purges', headers: { authorization: `Bearer ${admin}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      purges: [
        { runId: run.runId, collection: 'biometrics', at: NOW, cutoff: run.cutoffs.biometrics, purged: 2 },
        { runId: run.runId, collection: 'crossings', at: NOW, cutoff: run.cutoffs.crossings, purged: 1 },
        { runId: run.runId, collection: 'registrations', at: NOW, cutoff: run.cutoffs.registrations, purged: 1 },
      ],
      next: null,
    });
    const page = await app.inject({ method: 'GET', url: `/admin/retention/purges?limit=1&after=${NOW}/${run.runId}/biometrics`, headers: { authorization: `Bearer ${admin}` } });
    expect(page.json()).toEqual({ purges: [expect.objectContaining({ collection: 'crossings' })], next: `${NOW}/${run.runId}/crossings` });
    expect((await app.inject({ method: 'GET', url: '/admin/retention/purges' })).statusCode).toBe(401);
  });

  it('runs when the server starts, counts what it purged in the metrics, and stops with the server', async () => {
    const { kept } = await seed();
    app = await buildSyncServer({ repository, logger: false, now: () => NOW, retention: { rules: defaultRules } });
    const server = app;
    await expect.poll(async () => (await repository.retentionPurges({})).reduce((sum, purge) => sum + purge.purged, 0), { timeout: 20_000 }).toBe(4);
    await expect.poll(async () => (await server.inject({ method: 'GET', url: '/metrics' })).body, { timeout: 20_000 }).toMatch(/mis_retention_purged_total\{collection="biometrics"\} 2/);
    expect(await heldEverywhere()).toEqual(sorted(kept));
    await app.close();
    app = undefined;
  });
});
