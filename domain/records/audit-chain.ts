import type { AuditEntry } from './audit';

/** previousHash of a station's first entry: there is nothing before it to hash. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The exact text an audit entry's hash is the SHA-256 of (UTF-8 encoded). Hashing is
 * left to the caller (Web Crypto in main, node:crypto on the server): this module stays
 * pure and synchronous.
 *
 * The text is JSON.stringify of an array in a fixed order (details sorted by name), so
 * that the order properties happen to be in cannot change it, and the server or an
 * auditor's script can rebuild it. receivedAt is left out: the server sets it after
 * the entry was chained.
 */
export function auditHashInput(entry: Omit<AuditEntry, 'hash' | 'receivedAt'>): string {
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
