import { randomUUID } from 'node:crypto';
import type { Biometric, Crossing, Registration } from '../../domain/records';
import {
  earliestCutoff,
  isOverstayCrossing,
  orphanBiometricCutoff,
  orphanBiometricRetainedUntil,
  overstayers,
  personKey,
  retainedUntil,
  type RetainedCollection,
  type RetainedRecord,
} from '../../domain/retention';
import type { Rules } from '../../domain/rules';
import type { PurgeTarget, RetentionRun, StoredRecord, SyncRepository } from '../store/repository';

/**
 * The server's retention run: every registration and crossing whose time is up goes, with
 * its fingerprint captures, and so do captures whose record the server does not hold once
 * their own time is up. Each record is decided by the domain's retainedUntil, the same
 * function the stations apply to their copies; the person of a record is an overstayer
 * when the server holds an overstay exit of the same travel document.
 *
 * The run reads its candidates a page at a time through the indexes of migration 3 (by
 * the date the record's time runs from, below the shortest period's bound) and purges
 * each page in one transaction: rows, history and conflicts (SyncRepository.purge). A
 * record written between the decision and the purge is left for the next run.
 */

export interface RetentionRunOptions {
  /** The moment the run decides for (ms): the server clock, or a chosen one (`purge --now`). */
  now: number;
  rules: Pick<Rules, 'retention'>;
  /** Decides and counts, and removes and records nothing. */
  dryRun?: boolean;
  /** Candidates read at a time (and purged in one transaction); default 500. */
  pageSize?: number;
  /** Stops the run between pages (the server shutting down): what was purged stays purged. */
  signal?: AbortSignal;
}

export interface RetentionRunResult {
  runId: string;
  dryRun: boolean;
  /** The run's `now`. */
  at: number;
  /** Per collection, the bound its candidates were dated before. */
  cutoffs: Record<RetainedCollection, number>;
  /** Records purged per collection (in a dry run: that would have been). */
  purged: Record<RetainedCollection, number>;
  /** False when the run was stopped before it went through every candidate. */
  completed: boolean;
}

const zeroCounts = (): Record<RetainedCollection, number> => ({ registrations: 0, crossings: 0, biometrics: 0 });

/** The travel document of a stored or pushed record, when it has a readable one. */
export function travelDocumentOf(document: Record<string, unknown>): { issuingState: string; documentNumber: string } | null {
  const travelDocument = document.document as { issuingState?: unknown; documentNumber?: unknown } | undefined;
  if (typeof travelDocument?.issuingState !== 'string' || typeof travelDocument.documentNumber !== 'string') return null;
  return { issuingState: travelDocument.issuingState, documentNumber: travelDocument.documentNumber };
}

/** A registration's or crossing's document as the retention rule reads it. */
export function retainedRecordOf(kind: 'registration' | 'crossing', document: Record<string, unknown>): RetainedRecord {
  return kind === 'registration' ? { kind, record: document as unknown as Registration } : { kind, record: document as unknown as Crossing };
}

const target = (record: StoredRecord): PurgeTarget => ({ collection: record.collection as RetainedCollection, id: record.id, sequence: record.sequence });

export async function runRetentionPurge(repository: SyncRepository, options: RetentionRunOptions): Promise<RetentionRunResult> {
  const { now, rules, signal } = options;
  const dryRun = options.dryRun ?? false;
  const pageSize = options.pageSize ?? 500;
  const recordCutoff = earliestCutoff(now, rules);
  const run: RetentionRun = { runId: randomUUID(), at: now, cutoffs: { registrations: recordCutoff, crossings: recordCutoff, biometrics: orphanBiometricCutoff(now, rules) } };
  const purged = zeroCounts();
  // The people whose overstay exit this run purged: later pages must still know them.
  const overstayedThisRun = new Set<string>();

  const remove = async (targets: PurgeTarget[]): Promise<void> => {
    if (dryRun) {
      for (const { collection } of targets) purged[collection] += 1;
      return;
    }
    if (targets.length === 0) return;
    const removed = await repository.purge(run, targets);
    for (const collection of Object.keys(removed) as RetainedCollection[]) purged[collection] += removed[collection];
  };

  /** Goes through the candidates of a collection a page at a time; false when stopped. */
  const eachPage = async (collection: RetainedCollection, dateField: string, handle: (page: StoredRecord[]) => Promise<PurgeTarget[]>): Promise<boolean> => {
    let after: { at: number; id: string } | null = null;
    for (;;) {
      if (signal?.aborted) return false;
      const page = await repository.retentionCandidates(collection, run.cutoffs[collection], after, pageSize);
      if (page.length === 0) return true;
      const last = page.at(-1)!;
      after = { at: last.document[dateField] as number, id: last.id };
      await remove(await handle(page));
    }
  };

  /** Registrations or crossings past their time, with their captures. */
  const recordsDue = (kind: 'registration' | 'crossing') => async (page: StoredRecord[]): Promise<PurgeTarget[]> => {
    const documents = page.map((record) => travelDocumentOf(record.document)).filter((document) => document !== null);
    const overstayed = overstayers((await repository.crossingsOfDocuments(documents)).map((record) => record.document as unknown as Crossing));
    const due = page.filter((record) => {
      const travelDocument = travelDocumentOf(record.document);
      const person = travelDocument ? personKey(travelDocument) : null;
      const overstayer = person !== null && (overstayed.has(person) || overstayedThisRun.has(person));
      return now >= retainedUntil(retainedRecordOf(kind, record.document), overstayer, rules);
    });
    if (kind === 'crossing') {
      for (const record of due) {
        const travelDocument = travelDocumentOf(record.document);
        if (travelDocument && isOverstayCrossing(record.document as unknown as Crossing)) overstayedThisRun.add(personKey(travelDocument));
      }
    }
    const captures = due.length === 0 ? [] : await repository.biometricsOf(due.map((record) => record.id));
    return [...due.map(target), ...captures.filter((capture) => capture.document.recordType === kind).map(target)];
  };

  /** Captures whose record the server does not hold, past their own time. */
  const orphansDue = async (page: StoredRecord[]): Promise<PurgeTarget[]> => {
    const idsOf = (kind: string): string[] => page.filter((capture) => capture.document.recordType === kind).map((capture) => capture.document.recordId as string);
    const held = {
      registration: await repository.records('registrations', idsOf('registration')),
      crossing: await repository.records('crossings', idsOf('crossing')),
    };
    return page
      .filter((capture) => {
        const records = held[capture.document.recordType as keyof typeof held] as Map<string, StoredRecord> | undefined;
        if (records?.has(capture.document.recordId as string)) return false;
        return now >= orphanBiometricRetainedUntil(capture.document as unknown as Biometric, rules);
      })
      .map(target);
  };

  // On record from its start, with nothing purged yet: a run stopped halfway shows what it did.
  if (!dryRun) await repository.purge(run, []);
  // Registrations first: they see every crossing the run started with.
  const completed =
    (await eachPage('registrations', 'arrivalAt', recordsDue('registration'))) &&
    (await eachPage('crossings', 'occurredAt', recordsDue('crossing'))) &&
    (await eachPage('biometrics', 'createdAt', orphansDue));
  return { runId: run.runId, dryRun, at: now, cutoffs: run.cutoffs, purged, completed };
}

/** A run in words for the command line: counts per collection. */
export function describeRetentionRun(result: RetentionRunResult): string {
  const verb = result.dryRun ? 'would be purged' : 'purged';
  const lines = [`Retention run ${result.runId} at ${new Date(result.at).toISOString()}${result.dryRun ? ' (dry run: nothing was removed)' : ''}${result.completed ? '' : ', stopped before its end'}:`];
  for (const [collection, count] of Object.entries(result.purged) as [RetainedCollection, number][]) {
    lines.push(`  ${collection}: ${count} ${verb} (of those dated before ${new Date(result.cutoffs[collection]).toISOString()})`);
  }
  return `${lines.join('\n')}\n`;
}
