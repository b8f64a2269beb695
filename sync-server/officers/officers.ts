import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { roles } from '../../domain/identity';
import { type Officer, officerToV1, officerValidator } from '../../domain/records';
import type { WireDocument } from '../../domain/sync';
import { generateOneTimePassword, hashPassword } from '../auth/passwords';
import { ServerError } from '../errors';
import { canonicalJson } from '../store/document-hash';
import type { RepositoryTransaction, SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';

/**
 * Officer accounts, managed centrally (the officer-* commands, the /admin/officers
 * routes): stations receive them as reference data and check logins against them
 * offline. Nobody ever types a password here: a new officer, or one whose password was
 * reset, gets a one-time password, shown once to the administrator, which the officer
 * must replace at the first login.
 */

/** An officer as administrators see it: everything but the password hash. */
export type OfficerView = Omit<Officer, 'passwordHash'>;

function officerView(officer: Officer): OfficerView {
  const { passwordHash: _withheld, ...view } = officer;
  return view;
}

/**
 * A stored officer document in the current schema. Officers the server stored before
 * badge numbers existed are read as stations migrate them (domain/records/migrations).
 */
export function currentOfficerDocument(document: WireDocument): WireDocument {
  if ('badgeNumber' in document) return document;
  const { _deleted, ...fields } = document;
  return { ...officerToV1(fields as unknown as Parameters<typeof officerToV1>[0]), _deleted };
}

/** The officer a stored document holds, in the current schema. */
export function officerFromDocument(document: WireDocument): Officer {
  const { _deleted: _ignored, ...fields } = currentOfficerDocument(document);
  return fields as unknown as Officer;
}

const stationIdsInput = z.array(z.string().trim()).min(1, 'at least one station');

/** What an administrator gives for a new officer; the server adds the password and the stamps. */
const newOfficerInput = z.strictObject({
  /** Given centrally; a random one when absent. */
  id: z.string().optional(),
  username: z.string().trim().toLowerCase(),
  name: z.string().trim(),
  badgeNumber: z.string().trim().toUpperCase(),
  role: z.enum(roles),
  stationIds: stationIdsInput,
});

/** What an administrator may change; the password has its own reset. */
const officerChangesInput = z.strictObject({
  name: z.string().trim().optional(),
  badgeNumber: z.string().trim().toUpperCase().optional(),
  role: z.enum(roles).optional(),
  stationIds: stationIdsInput.optional(),
  active: z.boolean().optional(),
});

function invalid(message: string, error?: z.ZodError): ServerError {
  const issues = error?.issues.slice(0, 20).map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message }));
  return new ServerError(422, 'OFFICER_INVALID', message, issues ? { issues } : {});
}

function parse<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(`The ${what} is not valid.`, parsed.error);
  return parsed.data;
}

/**
 * Officer accounts change one at a time: every change takes this lock first (a record id
 * no officer can have, as ids start with a letter or digit), so that two administrators
 * cannot give the same username to two officers at once. Imports do not take it: an
 * import replaces officers wholesale, by id. (On PostgreSQL a pull holds back rows
 * committed behind a write still in flight, for the milliseconds that write takes: the
 * one window in which a username just given could go unseen.)
 */
const MANAGEMENT_LOCK = '@officer-management';

async function managing<T>(repository: SyncRepository, work: (tx: RepositoryTransaction) => Promise<T>): Promise<T> {
  return repository.transaction(async (tx) => {
    await tx.current('officers', [MANAGEMENT_LOCK]);
    return work(tx);
  });
}

/** Every officer the server holds, withdrawn ones left out. */
async function allOfficers(repository: SyncRepository): Promise<Officer[]> {
  const officers: Officer[] = [];
  for (let after = 0; ; ) {
    const page = await repository.pull('officers', { kind: 'all' }, after, 5_000);
    for (const record of page.records) if (!record.document._deleted) officers.push(officerFromDocument(record.document));
    if (page.records.length === 0) return officers;
    after = page.checkpoint;
  }
}

export async function listOfficers(repository: SyncRepository): Promise<OfficerView[]> {
  const officers = await allOfficers(repository);
  return officers.sort((a, b) => a.username.localeCompare(b.username)).map(officerView);
}

/** The officer with this username (usernames are kept in lower case), or OFFICER_UNKNOWN. */
export async function officerIdByUsername(repository: SyncRepository, username: string): Promise<string> {
  const wanted = username.trim().toLowerCase();
  const officer = (await allOfficers(repository)).find((candidate) => candidate.username === wanted);
  if (!officer) throw new ServerError(404, 'OFFICER_UNKNOWN', 'There is no officer with this username.');
  return officer.id;
}

async function checkUsernameFree(repository: SyncRepository, officer: Officer): Promise<void> {
  const holder = (await allOfficers(repository)).find((other) => other.username === officer.username && other.id !== officer.id);
  if (holder) throw new ServerError(409, 'OFFICER_EXISTS', `The username is taken by officer ${holder.id}.`);
}

/** The stations an officer is given must exist: a mistyped station id would give a login nowhere. */
async function checkStationsExist(tx: RepositoryTransaction, stationIds: string[]): Promise<void> {
  const stations = await tx.read('stations', stationIds);
  const unknown = stationIds.filter((id) => !stations.get(id) || stations.get(id)!.document._deleted);
  if (unknown.length > 0) throw invalid(`There is no station ${unknown.join(', ')} on the server (add it first: add-station).`);
}

async function readOfficer(tx: RepositoryTransaction, id: string): Promise<Officer> {
  const stored = (await tx.current('officers', [id])).get(id);
  if (!stored || stored.document._deleted) throw new ServerError(404, 'OFFICER_UNKNOWN', `There is no officer ${id} on the server.`);
  return officerFromDocument(stored.document);
}

/** Checks the finished officer and writes it as the server's own change: stations get it on their next pull. */
async function writeOfficer(tx: RepositoryTransaction, officer: Officer, now: number): Promise<Officer> {
  const checked = parse(officerValidator, officer, 'officer');
  await tx.write([{ collection: 'officers', id: checked.id, stationId: null, document: { ...checked, _deleted: false }, writtenBy: CENTRAL_WRITER }], now);
  return checked;
}

export interface OfficerWithPassword {
  officer: OfficerView;
  /** Shown to the administrator once; the server keeps only its hash. */
  oneTimePassword: string;
}

export async function addOfficer(repository: SyncRepository, input: unknown, now: number): Promise<OfficerWithPassword> {
  const { id, ...fields } = parse(newOfficerInput, input, 'new officer');
  const withoutPassword = { id: id ?? randomUUID(), ...fields, mustChangePassword: true, active: true, updatedAt: now };
  // Checked before the password is hashed and the lock taken: a mistyped field waits for neither.
  parse(officerValidator.omit({ passwordHash: true }), withoutPassword, 'officer');
  const oneTimePassword = generateOneTimePassword();
  const officer: Officer = { ...withoutPassword, passwordHash: await hashPassword(oneTimePassword) };
  const added = await managing(repository, async (tx) => {
    const existing = (await tx.current('officers', [officer.id])).get(officer.id);
    if (existing && !existing.document._deleted) throw new ServerError(409, 'OFFICER_EXISTS', `There is an officer ${officer.id} already.`);
    await checkUsernameFree(repository, officer);
    await checkStationsExist(tx, officer.stationIds);
    return writeOfficer(tx, officer, now);
  });
  return { officer: officerView(added), oneTimePassword };
}

export async function updateOfficer(repository: SyncRepository, id: string, input: unknown, now: number): Promise<OfficerView> {
  const changes = parse(officerChangesInput, input, 'change to the officer');
  const updated = await managing(repository, async (tx) => {
    const current = await readOfficer(tx, id);
    const changed: Officer = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    // Nothing new for the stations: nothing written, nothing sent to them.
    if (canonicalJson(changed) === canonicalJson(current)) return current;
    if (changes.stationIds) await checkStationsExist(tx, changes.stationIds);
    return writeOfficer(tx, { ...changed, updatedAt: now }, now);
  });
  return officerView(updated);
}

/** A new one-time password, replacing the officer's password everywhere at the stations' next pull. */
export async function resetOfficerPassword(repository: SyncRepository, id: string, now: number): Promise<OfficerWithPassword> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const officer = await managing(repository, async (tx) => {
    const current = await readOfficer(tx, id);
    return writeOfficer(tx, { ...current, passwordHash, mustChangePassword: true, updatedAt: now }, now);
  });
  return { officer: officerView(officer), oneTimePassword };
}
