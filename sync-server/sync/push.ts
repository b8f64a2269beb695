import type { ZodType } from 'zod';
import type { Biometric, Crossing } from '../../domain/records';
import { SYSTEM_OFFICER, UNKNOWN_OFFICER, auditEntryValidator, biometricValidator, crossingValidator, registrationValidator } from '../../domain/records';
import { orphanBiometricRetainedUntil, overstayers, personKey, retainedUntil } from '../../domain/retention';
import type { Rules } from '../../domain/rules';
import { isImmutableCollection, PUSH_ROWS_MAX, type PushRow, type StationCollection, type WireDocument } from '../../domain/sync';
import { checkAuditChain, type FoundBreak } from '../audit/chain-check';
import { retainedRecordOf, travelDocumentOf } from '../retention/purge';
import { ServerError } from '../errors';
import { settleBoth } from '../settle';
import { documentHash, stamped } from '../store/document-hash';
import type { RecordWrite, RepositoryTransaction, StoredRecord, SyncRepository } from '../store/repository';
import { stationWriter } from './writers';

const validators: Record<StationCollection, ZodType> = {
  registrations: registrationValidator,
  crossings: crossingValidator,
  biometrics: biometricValidator,
  audit: auditEntryValidator,
};

/** The rule that decides a real conflict, as the conflict log names it. */
export const CONFLICT_RULE = 'server-version-kept';

export interface PushOutcome {
  /** Server states the station did not know of: RxDB's conflicts. */
  conflicts: WireDocument[];
  /** The server's state of every other row, stamped (see pushResponse). */
  stored: WireDocument[];
  written: number;
  /** Rows the server already had (a replayed batch, a retried push). */
  unchanged: number;
  /** Rows of records already past their time, not written (see pastTheirTime). */
  pastTheirTime: number;
  /** Breaks of the station's audit chain this push showed (audit pushes only), each reported once. */
  auditChainBreaks: FoundBreak[];
}

function refused(status: number, code: ConstructorParameters<typeof ServerError>[1], message: string, row: number, recordId: string, issues?: { path: string; message: string }[]): ServerError {
  return new ServerError(status, code, message, { row, recordId, ...(issues ? { issues } : {}) });
}

/** The document without RxDB's deletion flag: what the domain schema describes. */
function fieldsOf(document: WireDocument): Record<string, unknown> {
  const { _deleted: _ignored, ...fields } = document;
  return fields;
}

/**
 * Checks what can be checked without the stored states: schema, ownership, no deletion.
 * The first row that fails refuses the whole batch (nothing is written), and the error
 * names the row so that the station can show the officer which record is wrong.
 */
function checkRows(collection: StationCollection, stationId: string, rows: PushRow[]): void {
  if (rows.length > PUSH_ROWS_MAX) {
    throw new ServerError(413, 'BATCH_TOO_LARGE', `A push may carry at most ${PUSH_ROWS_MAX} rows; this one has ${rows.length}.`);
  }
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const document = row.newDocumentState;
    if (seen.has(document.id)) throw refused(400, 'INVALID_REQUEST', `Record ${document.id} appears twice in one push.`, index, document.id);
    seen.add(document.id);
    if (document._deleted) {
      throw refused(422, 'RECORD_DELETE_REFUSED', `Records are cancelled or corrected, never deleted; ${collection} record ${document.id} was pushed as deleted.`, index, document.id);
    }
    const parsed = validators[collection].safeParse(fieldsOf(document));
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message }));
      throw refused(422, 'RECORD_INVALID', `The ${collection} record ${document.id} does not match the record schema.`, index, document.id, issues);
    }
    if (document.stationId !== stationId) {
      throw refused(403, 'RECORD_OF_OTHER_STATION', `Record ${document.id} belongs to another station; a station pushes only its own records.`, index, document.id);
    }
  });
}

/**
 * Every officer a row names (author, and for registrations the last editor) must be one of
 * the station's. A lookup, not a lock: pushes naming the same officer do not wait for each
 * other, nor an officer import for them (a push that reads an officer just before an
 * import withdraws it is taken, as it would have been a moment earlier). An audit entry
 * may name no officer: UNKNOWN_OFFICER for a failed login with a username nobody has,
 * SYSTEM_OFFICER for what the station did by itself (a retention purge).
 */
async function checkOfficers(tx: RepositoryTransaction, collection: StationCollection, stationId: string, rows: PushRow[]): Promise<void> {
  const mayBeUnknown = (id: string): boolean => collection === 'audit' && (id === UNKNOWN_OFFICER || id === SYSTEM_OFFICER);
  const named = rows.map((row) =>
    [row.newDocumentState.officerId, row.newDocumentState.updatedBy].filter((id): id is string => typeof id === 'string' && !mayBeUnknown(id)),
  );
  const officers = await tx.read('officers', [...new Set(named.flat())]);
  named.forEach((ids, index) => {
    for (const officerId of ids) {
      const officer = officers.get(officerId)?.document;
      const ofStation = officer && !officer._deleted && Array.isArray(officer.stationIds) && officer.stationIds.includes(stationId);
      if (!ofStation) {
        const recordId = rows[index]!.newDocumentState.id;
        throw refused(403, 'RECORD_OFFICER_UNKNOWN', `Record ${recordId} names an officer who is not an officer of this station.`, index, recordId);
      }
    }
  });
}

type Decision = { kind: 'write' } | { kind: 'unchanged' } | { kind: 'conflict'; current: StoredRecord };

/**
 * What to do with one row, given the server's current state of the record:
 * - no state yet: write it;
 * - the same content as now, or a state the server had before: nothing (replays and
 *   retries change nothing);
 * - the station assumed the current state, or the current state is the station's own
 *   last push (its history is linear, so the new state follows it): write it;
 * - otherwise the record was changed centrally meanwhile: a real conflict. The server's
 *   version stays, the station's goes to the conflict log, and the station is sent the
 *   server's version.
 * Immutable records are never changed: a different state for an existing one is refused.
 */
async function decide(tx: RepositoryTransaction, collection: StationCollection, stationId: string, row: PushRow, index: number, current: StoredRecord | undefined): Promise<Decision> {
  const document = row.newDocumentState;
  if (!current) return { kind: 'write' };
  if (current.stationId !== stationId) {
    throw refused(403, 'RECORD_OF_OTHER_STATION', `Record ${document.id} exists on the server for another station.`, index, document.id);
  }
  const hash = documentHash(document);
  if (hash === documentHash(current.document)) return { kind: 'unchanged' };
  if (isImmutableCollection(collection)) {
    throw refused(409, 'RECORD_IMMUTABLE', `The ${collection} record ${document.id} is already on the server and cannot be changed; record a correction instead.`, index, document.id);
  }
  if (await tx.seenBefore(collection, document.id, hash)) return { kind: 'unchanged' };
  const assumedCurrent = row.assumedMasterState !== undefined && documentHash(row.assumedMasterState) === documentHash(current.document);
  if (assumedCurrent || current.writtenBy === stationWriter(stationId)) return { kind: 'write' };
  return { kind: 'conflict', current };
}

/**
 * The ids of the pushed records whose time is up by the retention rule, which the server
 * does not take. A station may push such a record (an amendment made before its own purge,
 * a batch replayed after a long time offline), and the server, which purges it at its next
 * run or already has, would otherwise hold it again. The person is an overstayer when the
 * server holds, or the push brings, an overstay exit of the same travel document, as in
 * the retention run.
 */
async function pastTheirTime(repository: SyncRepository, collection: StationCollection, rows: PushRow[], now: number, rules: Pick<Rules, 'retention'>): Promise<Set<string>> {
  if (collection === 'biometrics') return capturesPastTheirTime(repository, rows, now, rules);
  if (collection !== 'registrations' && collection !== 'crossings') return new Set();
  const kind = collection === 'registrations' ? 'registration' : 'crossing';
  // Past even an ordinary traveller's time: only those can be past an overstayer's.
  const candidates = rows.map((row) => row.newDocumentState).filter((document) => now >= retainedUntil(retainedRecordOf(kind, document), false, rules));
  if (candidates.length === 0) return new Set();
  const held = await repository.crossingsOfDocuments(candidates.map(travelDocumentOf).filter((document) => document !== null));
  const pushed = collection === 'crossings' ? rows.map((row) => row.newDocumentState) : [];
  const overstayed = overstayers([...held.map((record) => record.document), ...pushed] as unknown as Crossing[]);
  const overstayer = (document: WireDocument): boolean => {
    const travelDocument = travelDocumentOf(document);
    return travelDocument !== null && overstayed.has(personKey(travelDocument));
  };
  const expired = candidates.filter((document) => now >= retainedUntil(retainedRecordOf(kind, document), overstayer(document), rules));
  return new Set(expired.map((document) => document.id));
}

/**
 * Captures go with their record. One whose record the server does not hold (purged, or
 * not taken because its time was up) goes by its own date, as in the retention run; one
 * whose record the server holds is taken, and goes with it.
 */
async function capturesPastTheirTime(repository: SyncRepository, rows: PushRow[], now: number, rules: Pick<Rules, 'retention'>): Promise<Set<string>> {
  const candidates = rows.map((row) => row.newDocumentState as unknown as Biometric).filter((capture) => now >= orphanBiometricRetainedUntil(capture, rules));
  if (candidates.length === 0) return new Set();
  const recordIdsOf = (kind: Biometric['recordType']) => candidates.filter((capture) => capture.recordType === kind).map((capture) => capture.recordId);
  const held = { registration: await repository.records('registrations', recordIdsOf('registration')), crossing: await repository.records('crossings', recordIdsOf('crossing')) };
  return new Set(candidates.filter((capture) => !held[capture.recordType].has(capture.recordId)).map((capture) => capture.id));
}

export interface PushOptions {
  /** The server clock (receivedAt). */
  now: () => number;
  /** The rules in force at a moment, for their retention periods: with them, records already past their time are not taken (pastTheirTime). */
  retention?: (now: number) => Promise<Pick<Rules, 'retention'>>;
}

/**
 * A station's push to one collection, in one transaction: all rows are taken, or, when
 * one is refused, none. Returns the conflicts for RxDB and what happened.
 */
export async function pushBatch(repository: SyncRepository, collection: StationCollection, stationId: string, rows: PushRow[], options: PushOptions): Promise<PushOutcome> {
  checkRows(collection, stationId, rows);
  const { now, retention } = options;
  const at = now();
  const expired = retention ? await pastTheirTime(repository, collection, rows, at, await retention(at)) : new Set<string>();
  return repository.transaction(async (tx) => {
    // The officer lookup and the locking read of the rows' records are asked for together:
    // neither needs the other's answer, and on PostgreSQL they then take one round trip of
    // the transaction's connection instead of two. Both are waited for, and a refused
    // officer is reported before whatever befell the read that went out with its lookup.
    const [, current] = await settleBoth(checkOfficers(tx, collection, stationId, rows), tx.current(collection, rows.map((row) => row.newDocumentState.id)));
    const writes: RecordWrite[] = [];
    const conflicts: WireDocument[] = [];
    const stored: WireDocument[] = [];
    let unchanged = 0;
    const receivedAt = now();
    for (const [index, row] of rows.entries()) {
      if (expired.has(row.newDocumentState.id)) {
        // Answered as taken, and at once purged: the station confirms it and purges its copy by the same rule.
        stored.push(stamped(row.newDocumentState, receivedAt));
        continue;
      }
      const existing = current.get(row.newDocumentState.id);
      const decision = await decide(tx, collection, stationId, row, index, existing);
      if (decision.kind === 'unchanged') {
        unchanged++;
        stored.push(existing!.document);
      } else if (decision.kind === 'conflict') {
        conflicts.push(decision.current.document);
        await tx.logConflict({ collection, recordId: row.newDocumentState.id, stationId, kept: decision.current.document, setAside: row.newDocumentState, rule: CONFLICT_RULE }, receivedAt);
      } else {
        writes.push({ collection, id: row.newDocumentState.id, stationId, document: row.newDocumentState, writtenBy: stationWriter(stationId) });
      }
    }
    // Only an audit push has more to do once its rows are written (the chain check): any
    // other ends with its write, which may then carry the commit (RepositoryTransaction.write).
    const written = writes.length > 0 ? await tx.write(writes, receivedAt, { last: collection !== 'audit' }) : [];
    stored.push(...written.map((record) => record.document));
    const auditChainBreaks = collection === 'audit' ? await checkAuditChain(tx, stationId, written, receivedAt) : [];
    return { conflicts, stored, written: writes.length, unchanged, pastTheirTime: expired.size, auditChainBreaks };
  });
}
