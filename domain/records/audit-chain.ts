import { z } from 'zod';
import type { AuditEntry } from './audit';

/** previousHash of a station's first entry: there is nothing before it to hash. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * An audit entry as the chain sees it: every field its hash covers, and the hash.
 * recordType is any text here, so that an entry read back from a store (where anyone
 * with the file may have changed it) can still be hashed and shown to be wrong.
 */
export type AuditChainEntry = Omit<AuditEntry, 'receivedAt' | 'recordType'> & { recordType: string };

/**
 * The exact text an audit entry's hash is the SHA-256 of (UTF-8 encoded). Hashing is
 * left to the caller (node:crypto on the station's main process and on the server):
 * this module stays pure and synchronous.
 *
 * The text is JSON.stringify of an array in a fixed order (details sorted by name), so
 * that the order properties happen to be in cannot change it, and the server or an
 * auditor's script can rebuild it. receivedAt is left out: the server sets it after
 * the entry was chained.
 */
export function auditHashInput(entry: Omit<AuditChainEntry, 'hash'>): string {
  const details = Object.keys(entry.details)
    .sort()
    .map((name) => [name, entry.details[name]]);
  return JSON.stringify([
    'mis-audit-v1',
    entry.stationId,
    entry.sequence,
    entry.id,
    entry.createdAt,
    entry.officerId,
    entry.action,
    entry.recordType,
    entry.recordId,
    details,
    entry.previousHash,
  ]);
}

/**
 * Only the types the hash needs, not the record schema: an entry whose action was
 * changed to text the schema refuses must still be read, hashed and named as edited.
 */
const storedEntryShape = z.object({
  id: z.string(),
  stationId: z.string(),
  officerId: z.string(),
  createdAt: z.number(),
  sequence: z.number(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  details: z.record(z.string(), z.string()),
  previousHash: z.string(),
  hash: z.string(),
});

/**
 * An audit entry read back from a store (a parsed document, with whatever else the store
 * keeps beside it), or null when it no longer has the fields of one.
 */
export function readAuditChainEntry(stored: unknown): AuditChainEntry | null {
  const parsed = storedEntryShape.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** A stored row that cannot be read as an audit entry at all: its text damaged, or fields missing. */
export interface UnreadableAuditEntry {
  unreadable: true;
  id: string;
  stationId: string;
  /** The number the store filed it under, when it has one apart from the entry's text. */
  sequence: number | null;
}

/**
 * - edited: the entry's hash is not the SHA-256 of its content: it was changed after it
 *   was recorded (or can no longer be read at all);
 * - unlinked: the entry does not name the hash of the entry before it: that one was
 *   changed and rehashed, or replaced;
 * - gap: entries are missing before this one;
 * - duplicate: two entries carry one sequence number.
 */
export const auditChainBreakKinds = ['edited', 'unlinked', 'gap', 'duplicate'] as const;
export type AuditChainBreakKind = (typeof auditChainBreakKinds)[number];

export interface AuditChainBreak {
  kind: AuditChainBreakKind;
  stationId: string;
  /** The broken entry's number (for a gap, the entry after it); null for an entry too damaged to read it from. */
  sequence: number | null;
  entryId: string;
  /** For a gap: the numbers of the missing entries. */
  missing?: { first: number; last: number };
  /** What is wrong, in words a supervisor or an auditor understands. */
  message: string;
}

type Sha256Hex = (text: string) => string;

/** The entry before another, as far as linking to it goes. */
export type AuditChainLink = Pick<AuditChainEntry, 'sequence' | 'id' | 'hash'>;

function entryName(entry: { sequence: number; id: string }): string {
  return `entry ${entry.sequence} (id ${entry.id})`;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** An 'edited' break when the entry's hash is not the SHA-256 of its content. */
export function auditEntryEdited(entry: AuditChainEntry, sha256Hex: Sha256Hex): AuditChainBreak | null {
  if (sha256Hex(auditHashInput(entry)) === entry.hash) return null;
  return {
    kind: 'edited',
    stationId: entry.stationId,
    sequence: entry.sequence,
    entryId: entry.id,
    message: `${capitalised(entryName(entry))} of station ${entry.stationId} was changed after it was recorded: its content no longer matches its fingerprint (hash).`,
  };
}

/**
 * An 'unlinked' break when the entry does not name the hash of the one before it
 * (`previous`), or, as entry 1, does not name the start of the trail.
 */
export function auditEntryUnlinked(entry: AuditChainEntry, previous: AuditChainLink | null): AuditChainBreak | null {
  const expected = previous ? previous.hash : AUDIT_GENESIS_HASH;
  if (entry.previousHash === expected) return null;
  const message = previous
    ? `${capitalised(entryName(entry))} of station ${entry.stationId} does not follow ${entryName(previous)}: it names another previous entry, so ${entryName(previous)} was changed or replaced after ${entryName(entry)} was recorded.`
    : `${capitalised(entryName(entry))} of station ${entry.stationId} should start the trail but names a previous entry: entries before it were removed and the trail renumbered.`;
  return { kind: 'unlinked', stationId: entry.stationId, sequence: entry.sequence, entryId: entry.id, message };
}

/** A 'gap' break: the entries after `lastBefore` (0: from the start) and before `entry` are missing. */
export function auditChainGap(entry: Pick<AuditChainEntry, 'stationId' | 'sequence' | 'id'>, lastBefore: number): AuditChainBreak {
  const missing = { first: lastBefore + 1, last: entry.sequence - 1 };
  const which = missing.first === missing.last ? `Entry ${missing.first} is` : `Entries ${missing.first} to ${missing.last} are`;
  const from = lastBefore === 0 ? 'the trail starts at' : `the trail jumps from entry ${lastBefore} to`;
  return {
    kind: 'gap',
    stationId: entry.stationId,
    sequence: entry.sequence,
    entryId: entry.id,
    missing,
    message: `${which} missing from the audit trail of station ${entry.stationId}: ${from} ${entryName(entry)}.`,
  };
}

/** A 'duplicate' break: `entry` carries the number `other` already has. */
export function auditChainDuplicate(entry: Pick<AuditChainEntry, 'stationId' | 'sequence' | 'id'>, other: { id: string }): AuditChainBreak {
  return {
    kind: 'duplicate',
    stationId: entry.stationId,
    sequence: entry.sequence,
    entryId: entry.id,
    message: `Entry ${entry.sequence} of station ${entry.stationId} appears twice: the entries with ids ${other.id} and ${entry.id} both carry that number.`,
  };
}

function unreadableBreak(entry: UnreadableAuditEntry, previous: AuditChainLink | null): AuditChainBreak {
  const where = entry.sequence !== null ? `Entry ${entry.sequence} (id ${entry.id})` : `The entry with id ${entry.id}${previous ? `, after entry ${previous.sequence},` : ''}`;
  return {
    kind: 'edited',
    stationId: entry.stationId,
    sequence: entry.sequence,
    entryId: entry.id,
    message: `${where} of station ${entry.stationId} can no longer be read as an audit entry: it was altered outside the application, or the file is damaged.`,
  };
}

function otherStation(entry: AuditChainEntry, stationId: string): AuditChainBreak {
  return {
    kind: 'edited',
    stationId,
    sequence: entry.sequence,
    entryId: entry.id,
    message: `${capitalised(entryName(entry))} names station ${entry.stationId} but is kept in the audit trail of station ${stationId}.`,
  };
}

export type AuditChainVerdict =
  | { ok: true; stationId: string; entries: number; lastSequence: number; lastHash: string }
  | { ok: false; stationId: string; /** Entries that held, before the broken one. */ entries: number; broken: AuditChainBreak };

/**
 * Walks one station's trail, entry by entry in sequence order, and stops at the first
 * break. Nothing but the last entry is kept, so a trail of millions can be read page by
 * page (the server's and the station's verifiers feed it from their stores).
 */
export class AuditChainWalk {
  private previous: AuditChainLink | null = null;
  private held = 0;
  private firstBreak: AuditChainBreak | null = null;

  constructor(
    readonly stationId: string,
    private readonly sha256Hex: Sha256Hex,
  ) {}

  /** Checks the next entry; returns the break it shows when it is the first one, and null otherwise. */
  add(entry: AuditChainEntry | UnreadableAuditEntry): AuditChainBreak | null {
    if (this.firstBreak) return null;
    if ('unreadable' in entry) return this.stop(unreadableBreak(entry, this.previous));
    const broken = this.check(entry);
    if (broken) return this.stop(broken);
    this.previous = { sequence: entry.sequence, id: entry.id, hash: entry.hash };
    this.held++;
    return null;
  }

  get verdict(): AuditChainVerdict {
    if (this.firstBreak) return { ok: false, stationId: this.stationId, entries: this.held, broken: this.firstBreak };
    return { ok: true, stationId: this.stationId, entries: this.held, lastSequence: this.previous?.sequence ?? 0, lastHash: this.previous?.hash ?? AUDIT_GENESIS_HASH };
  }

  private stop(broken: AuditChainBreak): AuditChainBreak {
    this.firstBreak = broken;
    return broken;
  }

  /** The entry's own content first: a changed entry is named as changed, whatever else it broke. */
  private check(entry: AuditChainEntry): AuditChainBreak | null {
    if (entry.stationId !== this.stationId) return otherStation(entry, this.stationId);
    const edited = auditEntryEdited(entry, this.sha256Hex);
    if (edited) return edited;
    const previous = this.previous;
    const lastSequence = previous?.sequence ?? 0;
    if (previous && entry.sequence === previous.sequence) return auditChainDuplicate(entry, previous);
    if (entry.sequence < lastSequence) {
      throw new RangeError(`Audit entries must come in sequence order: entry ${entry.sequence} came after entry ${lastSequence}.`);
    }
    if (entry.sequence > lastSequence + 1) return auditChainGap(entry, lastSequence);
    return auditEntryUnlinked(entry, previous);
  }
}

/**
 * Checks one station's audit trail, given in sequence order (an array, or any iterable
 * that reads them as it goes): every entry's hash is the SHA-256 of its content, every
 * entry names the hash of the one before it, and the numbers run 1, 2, 3… without gaps
 * or repeats. Returns the count and the last hash, or the first broken entry.
 * `stationId`: whose trail it is (by default the first entry's station); an entry of
 * another station in it is a break.
 */
export function verifyAuditChain(
  entries: Iterable<AuditChainEntry | UnreadableAuditEntry>,
  sha256Hex: Sha256Hex,
  options: { stationId?: string } = {},
): AuditChainVerdict {
  let walk: AuditChainWalk | null = options.stationId === undefined ? null : new AuditChainWalk(options.stationId, sha256Hex);
  for (const entry of entries) {
    walk ??= new AuditChainWalk(entry.stationId, sha256Hex);
    if (walk.add(entry)) break;
  }
  return (walk ?? new AuditChainWalk('', sha256Hex)).verdict;
}
