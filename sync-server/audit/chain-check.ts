import { createHash } from 'node:crypto';
import {
  type AuditChainBreak,
  type AuditChainEntry,
  auditChainDuplicate,
  auditChainGap,
  auditEntryEdited,
  auditEntryUnlinked,
  readAuditChainEntry,
} from '../../domain/records';
import type { RepositoryTransaction, StoredRecord } from '../store/repository';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A break found in a push, with the entry number it is filed under. */
export type FoundBreak = AuditChainBreak & { sequence: number };

/** Entries by number; a number the station repeated has several. */
function bySequence(records: StoredRecord[]): Map<number, AuditChainEntry[]> {
  const entries = new Map<number, AuditChainEntry[]>();
  for (const record of records) {
    const entry = readAuditChainEntry(record.document);
    // The push checked every new entry against the record schema, and older ones were checked when they came.
    if (!entry) continue;
    entries.set(entry.sequence, [...(entries.get(entry.sequence) ?? []), entry]);
  }
  return entries;
}

/**
 * Checks a station's audit entries that a push has just stored against the chain the
 * server holds, inside the push's transaction:
 *
 * - each new entry's hash must be the SHA-256 of its content (else: edited);
 * - no other entry may carry its number (else: duplicate);
 * - it must name the hash of entry n-1, stored before or in the same push (else:
 *   unlinked), or the start of the trail as entry 1; without entry n-1 on the server it
 *   follows a gap;
 * - an entry n+1 stored before it (it came late) must name its hash: its gap report is
 *   resolved now that the entry arrived, and when it does not name it, that is a break of
 *   its own (unlinked).
 *
 * The entries are stored whatever this finds: evidence is never thrown away. Each break
 * is recorded once (station, number, kind), so a replayed push records nothing again.
 * Returns the breaks recorded by this push.
 */
export async function checkAuditChain(tx: RepositoryTransaction, stationId: string, written: StoredRecord[], checkedAt: number): Promise<FoundBreak[]> {
  const arrived = [...bySequence(written).values()].flat().sort((a, b) => a.sequence - b.sequence);
  if (arrived.length === 0) return [];
  await tx.lockAuditChain(stationId);
  const wanted = new Set(arrived.flatMap((entry) => [entry.sequence - 1, entry.sequence, entry.sequence + 1]).filter((sequence) => sequence >= 1));
  const stored = bySequence(await tx.auditEntries(stationId, [...wanted]));
  const arrivedIds = new Set(arrived.map((entry) => entry.id));

  const found: FoundBreak[] = [];
  for (const entry of arrived) {
    const at = (sequence: number): AuditChainEntry[] => stored.get(sequence) ?? [];
    const edited = auditEntryEdited(entry, sha256Hex);
    if (edited) found.push({ ...edited, sequence: entry.sequence });
    const other = at(entry.sequence).find((candidate) => candidate.id !== entry.id);
    if (other) found.push({ ...auditChainDuplicate(entry, other), sequence: entry.sequence });
    found.push(...(await linkBreaks(tx, entry, at(entry.sequence - 1))));
    // Entries after this one that came before it.
    for (const next of at(entry.sequence + 1).filter((candidate) => !arrivedIds.has(candidate.id))) {
      await tx.resolveAuditChainGap(stationId, next.sequence, checkedAt);
      if (!at(entry.sequence).some((candidate) => candidate.hash === next.previousHash)) {
        found.push({ ...auditEntryUnlinked(next, entry)!, sequence: next.sequence });
      }
    }
  }

  const recorded: FoundBreak[] = [];
  for (const broken of found) {
    const report = { stationId, sequence: broken.sequence, kind: broken.kind, entryId: broken.entryId, detail: broken.message, detectedAt: checkedAt };
    if (await tx.reportAuditChainBreak(report)) recorded.push(broken);
  }
  return recorded;
}

/** Whether the entry follows the one before it: the start of the trail for entry 1, a gap when the one before is not on the server. */
async function linkBreaks(tx: RepositoryTransaction, entry: AuditChainEntry, before: AuditChainEntry[]): Promise<FoundBreak[]> {
  if (entry.sequence === 1) {
    const unlinked = auditEntryUnlinked(entry, null);
    return unlinked ? [{ ...unlinked, sequence: 1 }] : [];
  }
  if (before.length === 0) {
    return [{ ...auditChainGap(entry, await tx.auditSequenceBefore(entry.stationId, entry.sequence)), sequence: entry.sequence }];
  }
  if (before.some((previous) => previous.hash === entry.previousHash)) return [];
  return [{ ...auditEntryUnlinked(entry, before[0]!)!, sequence: entry.sequence }];
}
