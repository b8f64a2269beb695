import type { ZodType } from 'zod';
import { PasswordHashError, parsePasswordHash } from '../../domain/identity';
import { alertRecord, codeListEntryValidator, officerValidator, stationValidator, alertValidator, type AlertDraft } from '../../domain/records';
import { RULES_LIST, RulesError, loadRules } from '../../domain/rules';
import type { ReferenceCollection, WireDocument } from '../../domain/sync';
import { documentHash } from '../store/document-hash';
import type { RecordWrite, SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';
import { parseCsv } from './csv';

const validators: Record<ReferenceCollection, ZodType> = {
  alerts: alertValidator,
  officers: officerValidator,
  stations: stationValidator,
  codeLists: codeListEntryValidator,
};

export class ImportError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface ImportResult {
  collection: ReferenceCollection;
  /** Records read from the input. */
  read: number;
  /** New or changed records written. */
  written: number;
  /** Records the server already had as they are. */
  unchanged: number;
  /** Records withdrawn because a full replacement no longer lists them. */
  withdrawn: number;
}

/** CSV cells are strings; an empty cell is a field the row does not give. */
function alertDraftFromCsv(row: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
}

/**
 * Reads an import file: JSON (an array of records) or, for alerts, CSV with a header row
 * naming the alert fields (id, kind, surname, givenNames, birthDate, nationality,
 * documentNumber, issuingState, validFrom, validUntil, issuingAuthority).
 */
export function readImportFile(collection: ReferenceCollection, text: string, format: 'json' | 'csv'): unknown[] {
  if (format === 'csv') {
    if (collection !== 'alerts') throw new ImportError('Only alerts can be imported from CSV; the other reference data comes as JSON.');
    try {
      return parseCsv(text).map(alertDraftFromCsv);
    } catch (error) {
      throw new ImportError((error as Error).message);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ImportError('The JSON file must hold an array of records.');
  return parsed;
}

/**
 * Turns input records into the documents stations receive, stamped with the server's
 * clock; alerts get their lookup keys (nameKey, normalised document number) made here.
 * Every record is checked before anything is written: one bad record stops the import
 * and is named with its position.
 */
function toDocuments(collection: ReferenceCollection, records: unknown[], now: number): WireDocument[] {
  const ids = new Set<string>();
  return records.map((record, index) => {
    const stamped: Record<string, unknown> = { ...(record as Record<string, unknown>), updatedAt: now };
    let candidate: unknown = stamped;
    if (collection === 'alerts') {
      const { nameKey: _ignored, ...draft } = stamped;
      candidate = typeof draft.id === 'string' && typeof draft.kind === 'string' ? alertRecord(draft as AlertDraft) : draft;
    }
    const parsed = validators[collection].safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: `/${index}/${issue.path.join('/')}`, message: issue.message }));
      throw new ImportError(`Record ${index + 1} of the ${collection} import does not match the schema.`, issues);
    }
    const document = parsed.data as Record<string, unknown> & { id: string };
    if (collection === 'officers') checkPasswordHash(document.passwordHash as string, index);
    if (collection === 'codeLists' && document.list === RULES_LIST) checkRulesEntry(document.extra, index);
    if (ids.has(document.id)) throw new ImportError(`Record ${index + 1} repeats the id ${document.id}.`);
    ids.add(document.id);
    return { ...document, _deleted: false };
  });
}

/**
 * A rules entry's extra is what the stations will load over their default rules from its
 * validFrom day: one that would not load is refused here, before any station gets it.
 */
function checkRulesEntry(extra: unknown, index: number): void {
  try {
    loadRules(extra ?? {});
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    throw new ImportError(
      `Record ${index + 1} is a rules entry whose overrides the stations could not load.`,
      error.issues.map((issue) => ({ path: `/${index}/extra`, message: issue })),
    );
  }
}

/**
 * An officer's passwordHash must be a hash in our format: a plaintext password in an
 * import file is refused, never stored (and never repeated in the error: it may be one).
 */
function checkPasswordHash(passwordHash: string, index: number): void {
  try {
    parsePasswordHash(passwordHash);
  } catch (error) {
    if (!(error instanceof PasswordHashError)) throw error;
    throw new ImportError(`Record ${index + 1} of the officers import has a passwordHash that is no password hash of ours; officers get their passwords with officer-add or officer-reset-password.`, [
      { path: `/${index}/passwordHash`, message: error.message },
    ]);
  }
}

/**
 * An officer already on the server keeps the password the server holds: passwords change
 * through officer-add, officer-reset-password and the officer's own change, never by a
 * re-import of an older file (which would bring back an old password, or a one-time one).
 */
function keepingPassword(imported: WireDocument, stored: WireDocument): WireDocument {
  if (stored._deleted) return imported;
  return { ...imported, passwordHash: stored.passwordHash, mustChangePassword: stored.mustChangePassword };
}

/** The same record but for the server's stamp: re-importing an unchanged watchlist writes nothing. */
function sameContent(incoming: WireDocument, stored: WireDocument): boolean {
  return documentHash({ ...incoming, updatedAt: stored.updatedAt }) === documentHash(stored);
}

const BATCH = 1_000;

/**
 * Loads reference data: new and changed records are written (and reach the stations on
 * their next pull), unchanged ones are left alone. With `replace`, records of the
 * collection that the input no longer lists are withdrawn (marked deleted, so that
 * stations drop them too).
 */
export async function importReference(repository: SyncRepository, collection: ReferenceCollection, records: unknown[], options: { replace?: boolean; now?: number } = {}): Promise<ImportResult> {
  const now = options.now ?? Date.now();
  const documents = toDocuments(collection, records, now);
  const result: ImportResult = { collection, read: documents.length, written: 0, unchanged: 0, withdrawn: 0 };
  for (let start = 0; start < documents.length; start += BATCH) {
    const batch = documents.slice(start, start + BATCH);
    await repository.transaction(async (tx) => {
      const current = await tx.current(collection, batch.map((document) => document.id));
      const writes: RecordWrite[] = [];
      for (const imported of batch) {
        const stored = current.get(imported.id);
        const document = collection === 'officers' && stored ? keepingPassword(imported, stored.document) : imported;
        if (stored && sameContent(document, stored.document)) result.unchanged++;
        else writes.push({ collection, id: document.id, stationId: null, document, writtenBy: CENTRAL_WRITER });
      }
      if (writes.length > 0) await tx.write(writes, now);
      result.written += writes.length;
    });
  }
  if (options.replace) result.withdrawn = await withdrawUnlisted(repository, collection, new Set(documents.map((document) => document.id)), now);
  return result;
}

async function withdrawUnlisted(repository: SyncRepository, collection: ReferenceCollection, listed: Set<string>, now: number): Promise<number> {
  const unlisted: WireDocument[] = [];
  for (let after = 0; ; ) {
    const page = await repository.pull(collection, { kind: 'all' }, after, 5_000);
    for (const record of page.records) if (!record.document._deleted && !listed.has(record.id)) unlisted.push(record.document);
    if (page.records.length === 0) break;
    after = page.checkpoint;
  }
  for (let start = 0; start < unlisted.length; start += BATCH) {
    const writes = unlisted.slice(start, start + BATCH).map((document): RecordWrite => ({ collection, id: document.id, stationId: null, document: { ...document, updatedAt: now, _deleted: true }, writtenBy: CENTRAL_WRITER }));
    await repository.transaction((tx) => tx.write(writes, now));
  }
  return unlisted.length;
}
