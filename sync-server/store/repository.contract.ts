import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncedCollection, WireDocument } from '../../domain/sync';
import { documentHash } from './document-hash';
import { migrations } from './migrations';
import type { RecordWrite, RetentionRun, StoredRecord, SyncRepository } from './repository';

/**
 * The behaviour every SyncRepository implementation shares, run by each implementation's
 * test file against a fresh, unmigrated store from `open`.
 */

export type Change = Parameters<Parameters<SyncRepository['onChange']>[0]>[0];

/** The server clock of the tests' writes. */
export const receivedAt = 1_750_000_000_000;

/** A station's registration as pushed: its receivedAt is the station's guess, replaced on write. */
export function registration(id: string, stationId: string, fields: Record<string, unknown> = {}): RecordWrite {
  const document: WireDocument = { id, _deleted: false, stationId, receivedAt: 0, surname: 'Example', ...fields };
  return { collection: 'registrations', id, stationId, document, writtenBy: `station:${stationId}` };
}

/** Reference data: no station and no receivedAt. */
export function officer(id: string, fields: Record<string, unknown> = {}): RecordWrite {
  return { collection: 'officers', id, stationId: null, document: { id, _deleted: false, name: 'Officer', ...fields }, writtenBy: 'central' };
}

/** A station's audit entry as stored on the server: only what the store looks at (the chain itself is sync-server/audit's). */
export function auditEntry(id: string, stationId: string, sequence: number, fields: Record<string, unknown> = {}): RecordWrite {
  const document: WireDocument = { id, _deleted: false, stationId, sequence, receivedAt: 0, action: 'login', ...fields };
  return { collection: 'audit', id, stationId, document, writtenBy: `station:${stationId}` };
}

/** A crossing as the store sees it: the fields retention reads (occurredAt, the travel document) and little else. */
export function crossing(id: string, stationId: string, fields: Record<string, unknown> = {}): RecordWrite {
  const document: WireDocument = { id, _deleted: false, stationId, receivedAt: 0, occurredAt: 0, document: { documentNumber: 'AB1234567', issuingState: 'SRB' }, ...fields };
  return { collection: 'crossings', id, stationId, document, writtenBy: `station:${stationId}` };
}

/** A fingerprint capture of a record. */
export function biometric(id: string, stationId: string, recordId: string, fields: Record<string, unknown> = {}): RecordWrite {
  const document: WireDocument = { id, _deleted: false, stationId, receivedAt: 0, createdAt: 0, recordType: 'crossing', recordId, ...fields };
  return { collection: 'biometrics', id, stationId, document, writtenBy: `station:${stationId}` };
}

export function write(repository: SyncRepository, writes: RecordWrite[], at = receivedAt): Promise<StoredRecord[]> {
  return repository.transaction((tx) => tx.write(writes, at));
}

/** The next `count` changes the repository reports. */
export function nextChanges(repository: SyncRepository, count: number): Promise<Change[]> {
  return new Promise((resolve) => {
    const seen: Change[] = [];
    const stop = repository.onChange((change) => {
      seen.push(change);
      if (seen.length === count) {
        stop();
        resolve(seen);
      }
    });
  });
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

const ids = (records: { id: string }[]): string[] => records.map((record) => record.id);

export function describeRepositoryContract(name: string, open: () => Promise<SyncRepository>): void {
  describe(`${name} repository`, () => {
    let repository: SyncRepository;
    const opened: SyncRepository[] = [];

    /** A fresh store, closed after the test. */
    async function fresh(): Promise<SyncRepository> {
      const store = await open();
      opened.push(store);
      return store;
    }

    beforeEach(async () => {
      repository = await fresh();
      await repository.migrate();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('migrations', () => {
      it('are numbered 1, 2, 3… in order', () => {
        expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
      });

      it('apply every version once, and nothing the second time', async () => {
        const store = await fresh();
        expect(await store.migrate()).toEqual(migrations.map((migration) => migration.version));
        expect(await store.migrate()).toEqual([]);
        expect(await store.lastSequence()).toBe(0);
      });
    });

    it('answers a ping', async () => {
      await expect(repository.ping()).resolves.toBeUndefined();
    });

    describe('write', () => {
      it('gives each write the next sequence, in the given order, and stamps receivedAt', async () => {
        const first = await write(repository, [registration('r1', 'S1'), registration('r2', 'S1'), officer('o1')]);
        expect(first.map((record) => [record.id, record.sequence])).toEqual([
          ['r1', 1],
          ['r2', 2],
          ['o1', 3],
        ]);
        expect(first[0]).toEqual({
          collection: 'registrations',
          id: 'r1',
          stationId: 'S1',
          sequence: 1,
          receivedAt,
          document: { id: 'r1', _deleted: false, stationId: 'S1', receivedAt, surname: 'Example' },
          writtenBy: 'station:S1',
        });
        // Reference data has no receivedAt field, and gets none.
        expect(first[2]!.document).toEqual({ id: 'o1', _deleted: false, name: 'Officer' });

        const second = await write(repository, [registration('r3', 'S2')], receivedAt + 1);
        expect(second[0]).toMatchObject({ sequence: 4, receivedAt: receivedAt + 1, document: { receivedAt: receivedAt + 1 } });
        expect(await repository.lastSequence()).toBe(4);
      });

      it('does not change the document it was given', async () => {
        const pushed = registration('r1', 'S1');
        await write(repository, [pushed]);
        expect(pushed.document.receivedAt).toBe(0);
      });

      it('stores documents so that they come back with the same values', async () => {
        const document: WireDocument = {
          id: 'r1',
          _deleted: false,
          receivedAt: 0,
          zebra: 'last key first',
          text: 'Ünïcödé, 漢字, emoji 🛂, "quotes", back\\slash, new\nline, tab\t',
          numbers: [0, 1, -1, 0.1, 1e21, 1.5e-7, 123456789.123, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
          flags: [true, false, null],
          nested: { b: { d: [[], {}, [1, [2, [3]]]], c: '' }, a: null },
          empty: {},
        };
        await write(repository, [{ collection: 'registrations', id: 'r1', stationId: 'S1', document, writtenBy: 'station:S1' }]);
        const stored = { ...document, receivedAt };
        expect((await repository.pull('registrations', { kind: 'all' }, 0, 10)).records[0]!.document).toStrictEqual(stored);
        expect((await repository.history('registrations', 'r1'))[0]!.document).toStrictEqual(stored);
        const current = await repository.transaction((tx) => tx.current('registrations', ['r1']));
        expect(current.get('r1')!.document).toStrictEqual(stored);
      });

      it('keeps the last of two writes of one record in one batch, and both in its history', async () => {
        await write(repository, [registration('r1', 'S1', { surname: 'First' }), registration('r1', 'S1', { surname: 'Second' })]);
        const { records } = await repository.pull('registrations', { kind: 'all' }, 0, 10);
        expect(records.map((record) => [record.sequence, record.document.surname])).toEqual([[2, 'Second']]);
        expect((await repository.history('registrations', 'r1')).map((version) => version.document.surname)).toEqual(['First', 'Second']);
      });

      it('keeps deletions as rows with _deleted set', async () => {
        await write(repository, [officer('o1')]);
        await write(repository, [{ ...officer('o1'), document: { id: 'o1', _deleted: true, name: 'Officer' } }]);
        const { records } = await repository.pull('officers', { kind: 'all' }, 0, 10);
        expect(records.map((record) => [record.sequence, record.document._deleted])).toEqual([[2, true]]);
        expect(await repository.count('officers')).toBe(1);
      });
    });

    describe('pull', () => {
      beforeEach(async () => {
        await write(repository, [registration('a1', 'A'), registration('b1', 'B'), officer('o1'), registration('a2', 'A'), registration('a3', 'A')]);
      });

      it("returns a station's own records of a collection, in sequence order", async () => {
        const page = await repository.pull('registrations', { kind: 'station', stationId: 'A' }, 0, 100);
        expect(page.records.map((record) => [record.id, record.sequence])).toEqual([
          ['a1', 1],
          ['a2', 4],
          ['a3', 5],
        ]);
        expect(page.checkpoint).toBe(5);
      });

      it('returns every row of a collection for scope all', async () => {
        expect(ids((await repository.pull('registrations', { kind: 'all' }, 0, 100)).records)).toEqual(['a1', 'b1', 'a2', 'a3']);
        expect(ids((await repository.pull('officers', { kind: 'all' }, 0, 100)).records)).toEqual(['o1']);
      });

      it('pages with limit and checkpoint', async () => {
        const scope = { kind: 'station', stationId: 'A' } as const;
        const first = await repository.pull('registrations', scope, 0, 2);
        expect([ids(first.records), first.checkpoint]).toEqual([['a1', 'a2'], 4]);
        const second = await repository.pull('registrations', scope, first.checkpoint, 2);
        expect([ids(second.records), second.checkpoint]).toEqual([['a3'], 5]);
        const third = await repository.pull('registrations', scope, second.checkpoint, 2);
        expect(third).toEqual({ records: [], checkpoint: 5 });
      });

      it('gives the same pages as texts (pullTexts): each the JSON of the document pull returns', async () => {
        for (const [scope, limit] of [
          [{ kind: 'station', stationId: 'A' }, 2],
          [{ kind: 'all' }, 100],
          [{ kind: 'station', stationId: 'nobody' }, 10],
        ] as const) {
          const records = await repository.pull('registrations', scope, 1, limit);
          const texts = await repository.pullTexts('registrations', scope, 1, limit);
          expect(texts.checkpoint).toBe(records.checkpoint);
          expect(texts.documents.map((text) => JSON.parse(text) as unknown)).toStrictEqual(records.records.map((record) => record.document));
        }
        expect(await repository.pullTexts('crossings', { kind: 'all' }, 7, 10)).toEqual({ documents: [], checkpoint: 7 });
      });

      it('keeps the checkpoint when nothing is newer', async () => {
        expect(await repository.pull('registrations', { kind: 'station', stationId: 'nobody' }, 3, 10)).toEqual({ records: [], checkpoint: 3 });
        expect(await repository.pull('crossings', { kind: 'all' }, 0, 10)).toEqual({ records: [], checkpoint: 0 });
      });

      it('returns a rewritten record once, at its new sequence', async () => {
        await write(repository, [registration('a1', 'A', { surname: 'Changed' })]);
        const page = await repository.pull('registrations', { kind: 'station', stationId: 'A' }, 1, 100);
        expect(page.records.map((record) => [record.id, record.sequence])).toEqual([
          ['a2', 4],
          ['a3', 5],
          ['a1', 6],
        ]);
      });

      it('counts rows of a collection, or of one station', async () => {
        expect(await repository.count('registrations')).toBe(4);
        expect(await repository.count('registrations', 'A')).toBe(3);
        expect(await repository.count('registrations', 'nobody')).toBe(0);
        expect(await repository.count('officers')).toBe(1);
      });
    });

    describe('transaction', () => {
      it('returns the current states of existing ids only, of the asked collection', async () => {
        await write(repository, [registration('r1', 'S1'), officer('r2')]);
        const current = await repository.transaction((tx) => tx.current('registrations', ['r1', 'r2', 'missing']));
        expect([...current.keys()]).toEqual(['r1']);
        expect(current.get('r1')).toMatchObject({ collection: 'registrations', id: 'r1', stationId: 'S1', sequence: 1, receivedAt, writtenBy: 'station:S1' });
        expect(await repository.transaction((tx) => tx.current('registrations', []))).toEqual(new Map());
      });

      it('reads the current states of existing ids, as current() does, and its own writes', async () => {
        await write(repository, [registration('r1', 'S1'), officer('r2')]);
        const seen = await repository.transaction(async (tx) => {
          const before = await tx.read('registrations', ['r1', 'r2', 'missing']);
          const locked = await tx.current('registrations', ['r1']);
          await tx.write([registration('r3', 'S1'), registration('r1', 'S1', { surname: 'Changed' })], receivedAt);
          return { before, locked, after: await tx.read('registrations', ['r1', 'r3']), none: await tx.read('registrations', []) };
        });
        expect([...seen.before.keys()]).toEqual(['r1']);
        expect(seen.before.get('r1')).toEqual(seen.locked.get('r1'));
        expect(seen.before.get('r1')).toMatchObject({ collection: 'registrations', id: 'r1', stationId: 'S1', sequence: 1, receivedAt, writtenBy: 'station:S1' });
        expect([...seen.after.entries()].map(([id, record]) => [id, record.sequence, record.document.surname]).sort()).toEqual([
          ['r1', 4, 'Changed'],
          ['r3', 3, 'Example'],
        ]);
        expect(seen.none).toEqual(new Map());
      });

      it('writes nothing when the work throws, and uses up no sequence', async () => {
        await write(repository, [registration('r1', 'S1')]);
        const failing = repository.transaction(async (tx) => {
          await tx.write([registration('r2', 'S1'), registration('r1', 'S1', { surname: 'Changed' })], receivedAt);
          await tx.logConflict({ collection: 'registrations', recordId: 'r1', stationId: 'S1', kept: registration('r1', 'S1').document, setAside: registration('r1', 'S1').document, rule: 'test' }, receivedAt);
          throw new Error('abandoned');
        });
        await expect(failing).rejects.toThrow('abandoned');
        expect(await repository.count('registrations')).toBe(1);
        expect(await repository.lastSequence()).toBe(1);
        expect(await repository.history('registrations', 'r2')).toEqual([]);
        expect(await repository.history('registrations', 'r1')).toHaveLength(1);
        expect(await repository.conflicts({})).toEqual([]);
        const [next] = await write(repository, [registration('r3', 'S1')]);
        expect(next!.sequence).toBe(2);
      });

      it('keeps its writes from pulls until it commits', async () => {
        const seenInside = await repository.transaction(async (tx) => {
          await tx.write([registration('r1', 'S1')], receivedAt);
          return { page: await repository.pull('registrations', { kind: 'all' }, 0, 10), last: await repository.lastSequence(), count: await repository.count('registrations') };
        });
        expect(seenInside).toEqual({ page: { records: [], checkpoint: 0 }, last: 0, count: 0 });
        expect(await repository.lastSequence()).toBe(1);
      });

      it('returns what the work returned', async () => {
        expect(await repository.transaction(async () => 'done')).toBe('done');
      });

      it('refuses use of a transaction after it ended', async () => {
        const ended = await repository.transaction(async (tx) => tx);
        await expect(ended.write([registration('r1', 'S1')], receivedAt)).rejects.toThrow(/already ended/);
        await expect(ended.current('registrations', ['r1'])).rejects.toThrow(/already ended/);
        await expect(ended.read('registrations', ['r1'])).rejects.toThrow(/already ended/);
        expect(await repository.count('registrations')).toBe(0);
      });

      it('knows a state it has written before, by its hash without receivedAt', async () => {
        const first = registration('r1', 'S1', { surname: 'First' });
        await write(repository, [first]);
        await write(repository, [registration('r1', 'S1', { surname: 'Second' })]);
        const seen = await repository.transaction(async (tx) => ({
          // The station's copy carries another receivedAt than the stored one: same state.
          first: await tx.seenBefore('registrations', 'r1', documentHash({ ...first.document, receivedAt: 12345 })),
          // Key order is not content: the stored copy may come back with its keys reordered.
          reordered: await tx.seenBefore('registrations', 'r1', documentHash(Object.fromEntries(Object.entries(first.document).reverse()) as WireDocument)),
          never: await tx.seenBefore('registrations', 'r1', documentHash(registration('r1', 'S1', { surname: 'Never' }).document)),
          otherRecord: await tx.seenBefore('registrations', 'r2', documentHash(first.document)),
          otherCollection: await tx.seenBefore('crossings', 'r1', documentHash(first.document)),
        }));
        expect(seen).toEqual({ first: true, reordered: true, never: false, otherRecord: false, otherCollection: false });
      });

      it('sees its own writes', async () => {
        const seen = await repository.transaction(async (tx) => {
          await tx.write([registration('r1', 'S1')], receivedAt);
          return { current: await tx.current('registrations', ['r1']), seen: await tx.seenBefore('registrations', 'r1', documentHash(registration('r1', 'S1').document)) };
        });
        expect([[...seen.current.keys()], seen.seen]).toEqual([['r1'], true]);
      });

      it('makes a transaction that reads a new id wait for one that is writing it', async () => {
        const firstHasRead = deferred();
        const finishFirst = deferred();
        const first = repository.transaction(async (tx) => {
          await tx.current('registrations', ['x']);
          firstHasRead.resolve();
          await finishFirst.promise;
          await tx.write([registration('x', 'S1', { count: 1 })], receivedAt);
        });
        await firstHasRead.promise;
        const second = repository.transaction(async (tx) => {
          const current = await tx.current('registrations', ['x']);
          const count = Number(current.get('x')?.document.count ?? 0);
          await tx.write([registration('x', 'S1', { count: count + 1 })], receivedAt);
        });
        finishFirst.resolve();
        await Promise.all([first, second]);
        expect((await repository.history('registrations', 'x')).map((version) => version.document.count)).toEqual([1, 2]);
      });

      it('loses no update when transactions read and write the same new id at once', async () => {
        const increment = (): Promise<void> =>
          repository.transaction(async (tx) => {
            const current = await tx.current('registrations', ['x']);
            const count = Number(current.get('x')?.document.count ?? 0);
            await tx.write([registration('x', 'S1', { count: count + 1 })], receivedAt);
          });
        // Opens a few connections first (where the store has them), so that the increments really overlap.
        await Promise.all(Array.from({ length: 4 }, () => repository.transaction((tx) => tx.seenBefore('registrations', 'x', 'none'))));
        await Promise.all(Array.from({ length: 6 }, increment));
        expect((await repository.history('registrations', 'x')).map((version) => version.document.count)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    });

    it('keeps every version of a record, oldest first', async () => {
      await write(repository, [registration('r1', 'S1', { surname: 'One' })], receivedAt);
      await write(repository, [registration('other', 'S1')], receivedAt + 1);
      await write(repository, [registration('r1', 'S1', { surname: 'Two' })], receivedAt + 2);
      await write(repository, [registration('r1', 'S1', { surname: 'Two' })], receivedAt + 3);
      const history = await repository.history('registrations', 'r1');
      expect(history.map((version) => [version.sequence, version.receivedAt, version.document.surname, version.document.receivedAt])).toEqual([
        [1, receivedAt, 'One', receivedAt],
        [3, receivedAt + 2, 'Two', receivedAt + 2],
        [4, receivedAt + 3, 'Two', receivedAt + 3],
      ]);
      expect(await repository.history('registrations', 'missing')).toEqual([]);
    });

    it('logs conflicts and lists them by number, station, after and limit', async () => {
      const kept = registration('r1', 'A', { surname: 'Server' }).document;
      const setAside = registration('r1', 'A', { surname: 'Station' }).document;
      await repository.transaction(async (tx) => {
        await tx.logConflict({ collection: 'registrations', recordId: 'r1', stationId: 'A', kept, setAside, rule: 'server-version-kept' }, receivedAt);
        await tx.logConflict({ collection: 'registrations', recordId: 'r2', stationId: 'B', kept, setAside, rule: 'server-version-kept' }, receivedAt + 1);
      });
      await repository.transaction((tx) =>
        tx.logConflict({ collection: 'registrations', recordId: 'r3', stationId: 'A', kept, setAside, rule: 'server-version-kept' }, receivedAt + 2),
      );
      const all = await repository.conflicts({});
      expect(all.map((conflict) => conflict.recordId)).toEqual(['r1', 'r2', 'r3']);
      expect(all[0]).toEqual({ number: all[0]!.number, collection: 'registrations', recordId: 'r1', stationId: 'A', kept, setAside, rule: 'server-version-kept', detectedAt: receivedAt });
      expect(all[1]!.number).toBeGreaterThan(all[0]!.number);
      expect(all[2]!.number).toBeGreaterThan(all[1]!.number);
      expect((await repository.conflicts({ stationId: 'A' })).map((conflict) => conflict.recordId)).toEqual(['r1', 'r3']);
      expect((await repository.conflicts({ after: all[0]!.number })).map((conflict) => conflict.recordId)).toEqual(['r2', 'r3']);
      expect((await repository.conflicts({ limit: 2 })).map((conflict) => conflict.recordId)).toEqual(['r1', 'r2']);
      expect((await repository.conflicts({ stationId: 'A', after: all[0]!.number, limit: 5 })).map((conflict) => conflict.recordId)).toEqual(['r3']);
      expect(await repository.conflicts({ stationId: 'nobody' })).toEqual([]);
    });

    describe('audit trails', () => {
      const numbered = (records: { id: string; sequence: number | null }[]) => records.map((record) => [record.sequence, record.id]);

      it("finds a station's audit entries by number, both of a number given twice, and this transaction's own", async () => {
        await write(repository, [auditEntry('a1', 'S1', 1), auditEntry('a2', 'S1', 2), auditEntry('a3', 'S1', 3), auditEntry('b1', 'S2', 2), registration('r2', 'S1', { sequence: 2 })]);
        await write(repository, [auditEntry('a2-again', 'S1', 2)]);
        const found = await repository.transaction(async (tx) => {
          const before = await tx.auditEntries('S1', [2, 3, 9]);
          await tx.write([auditEntry('a4', 'S1', 4)], receivedAt);
          return { before, after: await tx.auditEntries('S1', [4]), none: await tx.auditEntries('S3', [1]) };
        });
        expect(found.before.map((record) => [record.document.sequence, record.id, record.collection, record.stationId])).toEqual([
          [2, 'a2', 'audit', 'S1'],
          [2, 'a2-again', 'audit', 'S1'],
          [3, 'a3', 'audit', 'S1'],
        ]);
        expect(found.after.map((record) => record.id)).toEqual(['a4']);
        expect(found.none).toEqual([]);
      });

      it("knows the highest number of a station's entries below another", async () => {
        await write(repository, [auditEntry('a1', 'S1', 1), auditEntry('a2', 'S1', 2), auditEntry('a5', 'S1', 5), auditEntry('b9', 'S2', 9), registration('r4', 'S1', { sequence: 4 })]);
        const before = await repository.transaction(async (tx) => [
          await tx.auditSequenceBefore('S1', 5),
          await tx.auditSequenceBefore('S1', 1),
          await tx.auditSequenceBefore('S1', 100),
          await tx.auditSequenceBefore('S3', 100),
        ]);
        expect(before).toEqual([2, 0, 5, 0]);
      });

      it("reads every station's trail a page at a time, in number order, without repeating or skipping a repeated number", async () => {
        await write(repository, [
          auditEntry('b1', 'S2', 1),
          auditEntry('a3', 'S1', 3),
          auditEntry('a1', 'S1', 1),
          auditEntry('a2-y', 'S1', 2),
          auditEntry('a2-x', 'S1', 2),
          auditEntry('a4', 'S1', 4),
          registration('r1', 'S0', { sequence: 1 }),
        ]);
        expect(await repository.nextAuditStation(null)).toBe('S1');
        expect(await repository.nextAuditStation('S1')).toBe('S2');
        expect(await repository.nextAuditStation('S2')).toBeNull();

        const pages: (number | null | string)[][][] = [];
        let after: { sequence: number; id: string } | null = null;
        for (;;) {
          const page = await repository.auditTrailPage('S1', after, 2);
          if (page.length === 0) break;
          pages.push(numbered(page));
          const last = page.at(-1)!;
          after = { sequence: last.sequence!, id: last.id };
        }
        expect(pages).toEqual([
          [[1, 'a1'], [2, 'a2-x']],
          [[2, 'a2-y'], [3, 'a3']],
          [[4, 'a4']],
        ]);
        const [first] = await repository.auditTrailPage('S2', null, 10);
        expect(first).toEqual({ stationId: 'S2', id: 'b1', sequence: 1, document: { id: 'b1', _deleted: false, stationId: 'S2', sequence: 1, receivedAt, action: 'login' } });
      });

      it('records a break once, resolves an open gap, and lists reports by station, state, position and limit', async () => {
        const report = (stationId: string, sequence: number, kind: 'gap' | 'edited' | 'unlinked') => ({ stationId, sequence, kind, entryId: `${stationId}-${sequence}`, detail: `${kind} at ${sequence}`, detectedAt: receivedAt });
        const recorded = await repository.transaction(async (tx) => [
          await tx.reportAuditChainBreak(report('S1', 4, 'gap')),
          await tx.reportAuditChainBreak(report('S1', 4, 'gap')),
          await tx.reportAuditChainBreak(report('S1', 4, 'unlinked')),
          await tx.reportAuditChainBreak(report('S1', 2, 'edited')),
          await tx.reportAuditChainBreak(report('S2', 7, 'gap')),
        ]);
        expect(recorded).toEqual([true, false, true, true, true]);
        const resolved = await repository.transaction(async (tx) => [
          await tx.resolveAuditChainGap('S1', 4, receivedAt + 5),
          await tx.resolveAuditChainGap('S1', 4, receivedAt + 6),
          await tx.resolveAuditChainGap('S1', 2, receivedAt + 6),
        ]);
        expect(resolved).toEqual([true, false, false]);
        // Replayed after it was resolved, a break is still the one report, and stays resolved.
        expect(await repository.transaction((tx) => tx.reportAuditChainBreak(report('S1', 4, 'gap')))).toBe(false);

        const all = await repository.auditChainReports({});
        expect(all.map((found) => [found.stationId, found.sequence, found.kind, found.resolvedAt])).toEqual([
          ['S1', 2, 'edited', null],
          ['S1', 4, 'gap', receivedAt + 5],
          ['S1', 4, 'unlinked', null],
          ['S2', 7, 'gap', null],
        ]);
        expect(all[0]).toEqual({ stationId: 'S1', sequence: 2, kind: 'edited', entryId: 'S1-2', detail: 'edited at 2', detectedAt: receivedAt, resolvedAt: null });
        const keys = (reports: { stationId: string; sequence: number; kind: string }[]) => reports.map((found) => `${found.stationId}/${found.sequence}/${found.kind}`);
        expect(keys(await repository.auditChainReports({ unresolvedOnly: true }))).toEqual(['S1/2/edited', 'S1/4/unlinked', 'S2/7/gap']);
        expect(keys(await repository.auditChainReports({ stationId: 'S2' }))).toEqual(['S2/7/gap']);
        expect(keys(await repository.auditChainReports({ after: { stationId: 'S1', sequence: 4, kind: 'gap' } }))).toEqual(['S1/4/unlinked', 'S2/7/gap']);
        expect(keys(await repository.auditChainReports({ limit: 1, unresolvedOnly: true, after: { stationId: 'S1', sequence: 2, kind: 'edited' } }))).toEqual(['S1/4/unlinked']);
      });

      it("makes a check of a station's chain wait for another one's commit, and then see its entries", async () => {
        await write(repository, [auditEntry('a1', 'S1', 1)]);
        const firstHasLocked = deferred();
        const finishFirst = deferred();
        const first = repository.transaction(async (tx) => {
          await tx.write([auditEntry('a2', 'S1', 2)], receivedAt);
          await tx.lockAuditChain('S1');
          firstHasLocked.resolve();
          await finishFirst.promise;
        });
        await firstHasLocked.promise;
        const second = repository.transaction(async (tx) => {
          await tx.write([auditEntry('a3', 'S1', 3)], receivedAt);
          await tx.lockAuditChain('S1');
          return (await tx.auditEntries('S1', [2])).map((record) => record.id);
        });
        // Long enough for the second to have read, had it not waited.
        await new Promise((resolve) => setTimeout(resolve, 100));
        finishFirst.resolve();
        await first;
        expect(await second).toEqual(['a2']);
      });
    });

    describe('retention', () => {
      const run = (runId: string, at = receivedAt): RetentionRun => ({ runId, at, cutoffs: { registrations: 100, crossings: 100, biometrics: 50 } });
      const idsOf = (records: { id: string }[]): string[] => records.map((record) => record.id);
      const sequenceOf = async (collection: 'registrations' | 'crossings' | 'biometrics', id: string): Promise<number> =>
        (await repository.records(collection, [id])).get(id)!.sequence;

      it('finds the candidates of each collection dated before a bound, a page at a time, in (date, id) order', async () => {
        await write(repository, [
          registration('r-5', 'S1', { arrivalAt: 5 }),
          registration('r-1', 'S1', { arrivalAt: 1 }),
          registration('r-3b', 'S2', { arrivalAt: 3 }),
          registration('r-3a', 'S1', { arrivalAt: 3 }),
          registration('r-9', 'S1', { arrivalAt: 9 }),
          registration('r-none', 'S1'),
          crossing('c-2', 'S1', { occurredAt: 2, arrivalAt: 1 }),
          crossing('c-7', 'S1', { occurredAt: 7 }),
          biometric('b-4', 'S1', 'c-2', { createdAt: 4 }),
        ]);
        const pages: string[][] = [];
        let after: { at: number; id: string } | null = null;
        for (;;) {
          const page = await repository.retentionCandidates('registrations', 9, after, 2);
          if (page.length === 0) break;
          pages.push(idsOf(page));
          const last = page.at(-1)!;
          after = { at: last.document.arrivalAt as number, id: last.id };
        }
        expect(pages).toEqual([['r-1', 'r-3a'], ['r-3b', 'r-5']]);
        expect(idsOf(await repository.retentionCandidates('crossings', 100, null, 10))).toEqual(['c-2', 'c-7']);
        expect(idsOf(await repository.retentionCandidates('crossings', 7, null, 10))).toEqual(['c-2']);
        expect(idsOf(await repository.retentionCandidates('biometrics', 5, null, 10))).toEqual(['b-4']);
        expect(await repository.retentionCandidates('biometrics', 4, null, 10)).toEqual([]);
      });

      it('finds the crossings of a travel document, the captures of records, and records by id', async () => {
        await write(repository, [
          crossing('c-a1', 'S1', { document: { documentNumber: 'AA1', issuingState: 'SRB' } }),
          crossing('c-a2', 'S2', { document: { documentNumber: 'AA1', issuingState: 'SRB' } }),
          crossing('c-other-state', 'S1', { document: { documentNumber: 'AA1', issuingState: 'HRV' } }),
          crossing('c-b', 'S1', { document: { documentNumber: 'BB2', issuingState: 'MNE' } }),
          registration('r-a', 'S1', { document: { documentNumber: 'AA1', issuingState: 'SRB' } }),
          biometric('b-1', 'S1', 'c-a1'),
          biometric('b-2', 'S1', 'c-a1'),
          biometric('b-3', 'S1', 'c-b'),
        ]);
        const found = await repository.crossingsOfDocuments([
          { documentNumber: 'AA1', issuingState: 'SRB' },
          { documentNumber: 'BB2', issuingState: 'MNE' },
          { documentNumber: 'AA1', issuingState: 'SRB' },
          { documentNumber: 'ZZ9', issuingState: 'SRB' },
        ]);
        expect(idsOf(found).sort()).toEqual(['c-a1', 'c-a2', 'c-b']);
        expect(await repository.crossingsOfDocuments([])).toEqual([]);
        expect(idsOf(await repository.biometricsOf(['c-a1', 'r-a'])).sort()).toEqual(['b-1', 'b-2']);
        expect(await repository.biometricsOf([])).toEqual([]);
        const byId = await repository.records('crossings', ['c-b', 'r-a', 'missing']);
        expect([...byId.keys()]).toEqual(['c-b']);
        expect(byId.get('c-b')).toMatchObject({ collection: 'crossings', stationId: 'S1', document: { id: 'c-b' } });
      });

      it('purges records with every version and conflict of them, and records the run by counts', async () => {
        await write(repository, [registration('r1', 'S1', { surname: 'Old' }), registration('r2', 'S1'), crossing('c1', 'S1'), biometric('b1', 'S1', 'c1')]);
        await write(repository, [registration('r1', 'S1', { surname: 'Older' })]);
        const kept = registration('r1', 'S1').document;
        await repository.transaction(async (tx) => {
          await tx.logConflict({ collection: 'registrations', recordId: 'r1', stationId: 'S1', kept, setAside: { ...kept, surname: 'Station' }, rule: 'server-version-kept' }, receivedAt);
          await tx.logConflict({ collection: 'registrations', recordId: 'r2', stationId: 'S1', kept, setAside: { ...kept, surname: 'Other' }, rule: 'server-version-kept' }, receivedAt);
        });
        const targets = [
          { collection: 'registrations' as const, id: 'r1', sequence: await sequenceOf('registrations', 'r1') },
          { collection: 'crossings' as const, id: 'c1', sequence: await sequenceOf('crossings', 'c1') },
          { collection: 'biometrics' as const, id: 'b1', sequence: await sequenceOf('biometrics', 'b1') },
        ];
        expect(await repository.purge(run('run-1'), targets)).toEqual({ registrations: 1, crossings: 1, biometrics: 1 });

        expect(idsOf((await repository.pull('registrations', { kind: 'all' }, 0, 10)).records)).toEqual(['r2']);
        expect(await repository.history('registrations', 'r1')).toEqual([]);
        expect(await repository.history('crossings', 'c1')).toEqual([]);
        expect(await repository.history('biometrics', 'b1')).toEqual([]);
        expect(await repository.history('registrations', 'r2')).toHaveLength(1);
        expect((await repository.conflicts({})).map((conflict) => conflict.recordId)).toEqual(['r2']);
        expect([await repository.count('registrations'), await repository.count('crossings'), await repository.count('biometrics')]).toEqual([1, 0, 0]);
        expect(await repository.retentionPurges({})).toEqual([
          { runId: 'run-1', collection: 'biometrics', at: receivedAt, cutoff: 50, purged: 1 },
          { runId: 'run-1', collection: 'crossings', at: receivedAt, cutoff: 100, purged: 1 },
          { runId: 'run-1', collection: 'registrations', at: receivedAt, cutoff: 100, purged: 1 },
        ]);
      });

      it('leaves a record written since the run decided, and adds up the pages of one run', async () => {
        const [first] = await write(repository, [registration('r1', 'S1')]);
        await write(repository, [registration('r1', 'S1', { surname: 'Amended' }), registration('r2', 'S1')]);
        expect(await repository.purge(run('run-1'), [{ collection: 'registrations', id: 'r1', sequence: first!.sequence }])).toEqual({ registrations: 0, crossings: 0, biometrics: 0 });
        expect(await repository.history('registrations', 'r1')).toHaveLength(2);
        await repository.purge(run('run-1'), [{ collection: 'registrations', id: 'r2', sequence: await sequenceOf('registrations', 'r2') }]);
        await repository.purge(run('run-1'), [{ collection: 'registrations', id: 'r1', sequence: await sequenceOf('registrations', 'r1') }]);
        expect((await repository.retentionPurges({})).map((purge) => [purge.collection, purge.purged])).toEqual([
          ['biometrics', 0],
          ['crossings', 0],
          ['registrations', 2],
        ]);
      });

      it('makes a purge of a record that a transaction holds wait for it, and leave the state it wrote', async () => {
        const [stored] = await write(repository, [registration('r1', 'S1')]);
        const holding = deferred();
        const finish = deferred();
        const amending = repository.transaction(async (tx) => {
          await tx.current('registrations', ['r1']);
          holding.resolve();
          await finish.promise;
          await tx.write([registration('r1', 'S1', { surname: 'Amended' })], receivedAt + 1);
        });
        await holding.promise;
        const purging = repository.purge(run('run-1'), [{ collection: 'registrations', id: 'r1', sequence: stored!.sequence }]);
        finish.resolve();
        await amending;
        expect(await purging).toEqual({ registrations: 0, crossings: 0, biometrics: 0 });
        expect((await repository.records('registrations', ['r1'])).get('r1')!.document.surname).toBe('Amended');
      });

      it('never gives out the number of a purged record again, so that a station that pulled it misses nothing', async () => {
        await write(repository, [registration('r1', 'S1'), registration('r2', 'S1')]);
        const pulled = await repository.pull('registrations', { kind: 'station', stationId: 'S1' }, 0, 10);
        expect(pulled.checkpoint).toBe(2);
        await repository.purge(run('run-1'), [{ collection: 'registrations', id: 'r2', sequence: 2 }]);
        const [next] = await write(repository, [registration('r3', 'S1')]);
        expect(next!.sequence).toBe(3);
        expect(idsOf((await repository.pull('registrations', { kind: 'station', stationId: 'S1' }, pulled.checkpoint, 10)).records)).toEqual(['r3']);
      });

      it('records a run that purged nothing, and lists runs in order after a cursor, up to a limit', async () => {
        await repository.purge(run('run-b', receivedAt + 10), []);
        await repository.purge(run('run-a', receivedAt), []);
        const all = await repository.retentionPurges({});
        expect(all.map((purge) => `${purge.runId}/${purge.collection}/${purge.purged}`)).toEqual([
          'run-a/biometrics/0',
          'run-a/crossings/0',
          'run-a/registrations/0',
          'run-b/biometrics/0',
          'run-b/crossings/0',
          'run-b/registrations/0',
        ]);
        const page = await repository.retentionPurges({ after: { at: receivedAt, runId: 'run-a', collection: 'registrations' }, limit: 2 });
        expect(page.map((purge) => `${purge.runId}/${purge.collection}`)).toEqual(['run-b/biometrics', 'run-b/crossings']);
      });

      it('refuses a record of a collection the run does not name', async () => {
        const partial: RetentionRun = { runId: 'run-1', at: receivedAt, cutoffs: { registrations: 1 } as RetentionRun['cutoffs'] };
        await write(repository, [crossing('c1', 'S1')]);
        await expect(repository.purge(partial, [{ collection: 'crossings', id: 'c1', sequence: 1 }])).rejects.toThrow(/not a collection of retention run/);
        expect(await repository.count('crossings')).toBe(1);
      });
    });

    it('adds, lists and revokes station credentials', async () => {
      await repository.addCredential({ stationId: 'A', secretHash: 'a'.repeat(64), createdAt: 1, revokedAt: null });
      await repository.addCredential({ stationId: 'A', secretHash: 'b'.repeat(64), createdAt: 2, revokedAt: null });
      await repository.addCredential({ stationId: 'B', secretHash: 'c'.repeat(64), createdAt: 3, revokedAt: null });
      await repository.addCredential({ stationId: 'B', secretHash: 'd'.repeat(64), createdAt: 4, revokedAt: 5 });
      expect(await repository.credentials('A')).toEqual([
        { stationId: 'A', secretHash: 'a'.repeat(64), createdAt: 1, revokedAt: null },
        { stationId: 'A', secretHash: 'b'.repeat(64), createdAt: 2, revokedAt: null },
      ]);
      expect(await repository.revokeCredentials('A', 10)).toBe(2);
      expect(await repository.credentials('A')).toEqual([]);
      expect(await repository.revokeCredentials('A', 11)).toBe(0);
      expect(await repository.credentials('B')).toEqual([{ stationId: 'B', secretHash: 'c'.repeat(64), createdAt: 3, revokedAt: null }]);
      expect(await repository.credentials('nobody')).toEqual([]);
    });

    describe('onChange', () => {
      it('reports a change after its transaction commits', async () => {
        const received: Change[] = [];
        repository.onChange((change) => received.push(change));
        const changes = nextChanges(repository, 1);
        const receivedBeforeCommit = await repository.transaction(async (tx) => {
          await tx.write([registration('r1', 'S1')], receivedAt);
          // One more statement after the write, for a change that would leak out early.
          await tx.current('registrations', ['r1']);
          return [...received];
        });
        expect(receivedBeforeCommit).toEqual([]);
        expect(await changes).toEqual([{ collection: 'registrations', stationId: 'S1', sequence: 1 }]);
      });

      it('reports nothing for a transaction that rolled back', async () => {
        const changes = nextChanges(repository, 1);
        await expect(
          repository.transaction(async (tx) => {
            await tx.write([registration('r1', 'S1')], receivedAt);
            throw new Error('abandoned');
          }),
        ).rejects.toThrow('abandoned');
        await write(repository, [officer('o1')]);
        // Changes arrive in commit order: a change of the rolled-back write would come first.
        expect(await changes).toEqual([{ collection: 'officers', stationId: null, sequence: 1 }]);
      });

      it('reports one change per collection and station, with the highest sequence written', async () => {
        const changes = nextChanges(repository, 3);
        await write(repository, [registration('a1', 'A'), registration('b1', 'B'), registration('a2', 'A'), officer('o1')]);
        expect(await changes).toEqual([
          { collection: 'registrations', stationId: 'B', sequence: 2 },
          { collection: 'registrations', stationId: 'A', sequence: 3 },
          { collection: 'officers', stationId: null, sequence: 4 },
        ]);
      });

      it('stops reporting to a listener that unsubscribed', async () => {
        const unsubscribed: Change[] = [];
        const stop = repository.onChange((change) => unsubscribed.push(change));
        stop();
        const changes = nextChanges(repository, 1);
        await write(repository, [officer('o1')]);
        await changes;
        expect(unsubscribed).toEqual([]);
      });
    });

    it('reports the type of store it is', () => {
      expect(['sqlite', 'postgres']).toContain(repository.kind);
    });

    it('keeps collections apart', async () => {
      const collections: SyncedCollection[] = ['registrations', 'crossings'];
      await write(
        repository,
        collections.map((collection) => ({ ...registration('same-id', 'S1'), collection })),
      );
      expect(await repository.count('registrations')).toBe(1);
      expect(await repository.count('crossings')).toBe(1);
      expect(await repository.history('crossings', 'same-id')).toHaveLength(1);
    });
  });
}
