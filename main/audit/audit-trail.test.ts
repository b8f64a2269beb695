import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxCollection } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUuidV7 } from '../../domain/ids';
import { AUDIT_GENESIS_HASH, type AuditEntry, UNKNOWN_OFFICER, auditHashInput } from '../../domain/records';
import { openStationStore, type StationStore } from '../services/station-store';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { AuditTrail, AuditTrailError, sha256Hex } from './audit-trail';

// One station store for the file (RxDB allows one open per process); every test keeps its
// own trail apart by a station id of its own.
const dataDir = mkdtempSync(join(tmpdir(), 'mis-audit-trail-'));
const vault = fileKeyVault(stationStoreFiles(dataDir).keyFile);
let store: StationStore;
let stations = 0;
const newStation = (): string => `BIH-AT-${++stations}`;

beforeAll(async () => {
  store = await openStationStore(dataDir, vault);
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const login = (officerId = 'officer-17') => ({ officerId, action: 'login', details: { result: 'ok' } });

/** The station's entries as stored, in number order. */
async function storedTrail(stationId: string): Promise<AuditEntry[]> {
  const found = await store.database.audit.find({ selector: { stationId }, sort: [{ sequence: 'asc' }] }).exec();
  return found.map((document) => document.toJSON() as AuditEntry);
}

describe('the audit trail', () => {
  it('numbers entries 1, 2, 3…, each naming the hash of the one before, and stores them', async () => {
    const stationId = newStation();
    let clock = Date.UTC(2025, 6, 14, 9);
    const trail = new AuditTrail(store.database.audit, stationId, () => clock++);
    const first = await trail.record(login());
    const second = await trail.record({ officerId: 'officer-17', action: 'registration.view', recordType: 'registration', recordId: '0197f9a0-5a00-7000-8000-0000000000aa' });
    expect(first).toMatchObject({ stationId, officerId: 'officer-17', sequence: 1, createdAt: Date.UTC(2025, 6, 14, 9), action: 'login', recordType: '', recordId: '', details: { result: 'ok' }, previousHash: AUDIT_GENESIS_HASH, receivedAt: 0 });
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash, recordType: 'registration', details: {} });
    for (const entry of [first, second]) {
      expect(isUuidV7(entry.id)).toBe(true);
      expect(entry.hash).toBe(sha256Hex(auditHashInput(entry)));
    }
    expect(await storedTrail(stationId)).toEqual([first, second]);
    expect(await trail.verify()).toEqual({ ok: true, stationId, entries: 2, lastSequence: 2, lastHash: second.hash });
  });

  it('never gives two entries recorded at once the same number', async () => {
    const stationId = newStation();
    const trail = new AuditTrail(store.database.audit, stationId);
    const entries = await Promise.all(Array.from({ length: 25 }, (_, n) => trail.record(login(`officer-${n}`))));
    expect(entries.map((entry) => entry.sequence)).toEqual(Array.from({ length: 25 }, (_, n) => n + 1));
    expect((await storedTrail(stationId)).map((entry) => entry.officerId)).toEqual(entries.map((entry) => entry.officerId));
    expect(await trail.verify()).toMatchObject({ ok: true, entries: 25 });
  });

  it('goes on from the last stored entry after a restart', async () => {
    const stationId = newStation();
    const before = new AuditTrail(store.database.audit, stationId);
    await before.record(login());
    const last = await before.record(login());
    await store.close();
    store = await openStationStore(dataDir, vault);

    const after = new AuditTrail(store.database.audit, stationId);
    const next = await after.record(login());
    expect(next).toMatchObject({ sequence: 3, previousHash: last.hash });
    expect(await after.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('keeps its place when the store refuses an entry: the next one takes the same number', async () => {
    const stationId = newStation();
    const collection = store.database.audit as RxCollection<AuditEntry>;
    let refuseNext = false;
    // The real collection, except that one insert fails as a full disk would make it.
    const failingOnce = new Proxy(collection, {
      get(target, property, receiver) {
        if (property === 'insert') {
          return (entry: AuditEntry) => {
            if (refuseNext) {
              refuseNext = false;
              return Promise.reject(new Error('disk full'));
            }
            return target.insert(entry);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const trail = new AuditTrail(failingOnce, stationId);
    const first = await trail.record(login());
    refuseNext = true;
    await expect(trail.record(login())).rejects.toThrow('disk full');
    const second = await trail.record(login());
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash });
    expect(await trail.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses an entry the record schema refuses, stores nothing, and keeps its place', async () => {
    const stationId = newStation();
    const trail = new AuditTrail(store.database.audit, stationId);
    await trail.record(login());
    const refused = trail.record({ officerId: 'officer-17', action: 'Not An Action' });
    await expect(refused).rejects.toBeInstanceOf(AuditTrailError);
    await expect(refused).rejects.toMatchObject({ code: 'AUDIT_ENTRY_INVALID', message: expect.stringMatching(/^The audit entry for "Not An Action" cannot be recorded: action: /) });
    await expect(trail.record({ ...login(), details: { 'not a name': 'x' } })).rejects.toMatchObject({ code: 'AUDIT_ENTRY_INVALID' });
    expect(await trail.record(login())).toMatchObject({ sequence: 2 });
    expect(await storedTrail(stationId)).toHaveLength(2);
  });

  it('records an actor no officer can be named for as the unknown officer', async () => {
    const trail = new AuditTrail(store.database.audit, newStation());
    expect(await trail.record({ officerId: UNKNOWN_OFFICER, action: 'login.failed', details: { reason: 'unknown-username' } })).toMatchObject({ officerId: 'unknown', sequence: 1 });
  });

  it("keeps each station's trail apart", async () => {
    const [a, b] = [newStation(), newStation()];
    const trailA = new AuditTrail(store.database.audit, a);
    const trailB = new AuditTrail(store.database.audit, b);
    await trailA.record(login());
    await trailA.record(login());
    expect(await trailB.record(login())).toMatchObject({ sequence: 1, previousHash: AUDIT_GENESIS_HASH });
    expect(await trailA.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('verifies a trail longer than one page', async () => {
    const stationId = newStation();
    const trail = new AuditTrail(store.database.audit, stationId);
    for (let n = 0; n < 1_003; n++) await trail.record(login());
    expect(await trail.verify()).toMatchObject({ ok: true, entries: 1_003, lastSequence: 1_003 });
  });

  it('names an entry changed in the store behind its back', async () => {
    const stationId = newStation();
    const trail = new AuditTrail(store.database.audit, stationId);
    for (let n = 0; n < 4; n++) await trail.record(login());
    const [third] = await store.database.audit.find({ selector: { stationId, sequence: 3 } }).exec();
    // Straight to the storage, as someone with the file and its key could: RxDB's own API refuses to change a final field.
    const stored = third!.toMutableJSON(true);
    const changed = { ...stored, officerId: 'officer-99', _rev: `${Number(stored._rev.split('-')[0]) + 1}-tampered`, _meta: { lwt: Date.now() } };
    const result = await store.database.audit.storageInstance.bulkWrite([{ previous: stored, document: changed }], 'test');
    expect(result.error).toEqual([]);
    expect(await trail.verify()).toMatchObject({ ok: false, entries: 2, broken: { kind: 'edited', sequence: 3, entryId: third!.id } });
  });
});
