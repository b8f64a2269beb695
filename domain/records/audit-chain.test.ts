import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditEntryValidator } from './audit';
import { AUDIT_GENESIS_HASH, auditHashInput } from './audit-chain';
import { syntheticAuditEntry } from './synthetic';
import { syntheticSource } from './synthetic-source';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const entry = {
  id: '0197f9a0-5a00-7000-8000-000000000001',
  stationId: 'ps-sarajevo-centar',
  officerId: 'officer-17',
  createdAt: Date.UTC(2025, 6, 14, 9, 30),
  sequence: 1,
  action: 'registration.amend',
  recordType: 'registration' as AuditEntry['recordType'],
  recordId: '0197f9a0-5a00-7000-8000-0000000000aa',
  details: { fields: 'address,period', reason: 'typo' },
  previousHash: AUDIT_GENESIS_HASH,
};

/** Whether each entry's hash is the hash of its own text and names the one before it. */
function chainHolds(entries: AuditEntry[]): boolean {
  return entries.every(
    (current, index) =>
      current.hash === sha256(auditHashInput(current)) &&
      current.previousHash === (index === 0 ? AUDIT_GENESIS_HASH : entries[index - 1]!.hash) &&
      current.sequence === index + 1,
  );
}

function chainOf(length: number): AuditEntry[] {
  const source = syntheticSource(7);
  const entries: AuditEntry[] = [];
  for (let i = 0; i < length; i++) entries.push(syntheticAuditEntry(source, entries.at(-1), sha256));
  return entries;
}

describe('auditHashInput', () => {
  it('is a fixed JSON array: version tag, station, sequence, id, time, officer, action, record, details by name, previous hash', () => {
    expect(auditHashInput(entry)).toBe(
      '["mis-audit-v1","ps-sarajevo-centar",1,"0197f9a0-5a00-7000-8000-000000000001",1752485400000,"officer-17",' +
        '"registration.amend","registration","0197f9a0-5a00-7000-8000-0000000000aa",[["fields","address,period"],["reason","typo"]],' +
        `"${AUDIT_GENESIS_HASH}"]`,
    );
  });

  it('does not depend on the order the properties or details happen to be in', () => {
    const reordered = { ...entry, details: { reason: 'typo', fields: 'address,period' } };
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse()) as typeof entry;
    expect(auditHashInput(shuffled)).toBe(auditHashInput(entry));
  });

  it('leaves out receivedAt, which the server sets after the entry was chained', () => {
    const hash = sha256(auditHashInput(entry));
    const synced = { ...entry, hash, receivedAt: Date.UTC(2025, 6, 14, 18) };
    expect(sha256(auditHashInput(synced))).toBe(hash);
  });

  it('changes with every field that says who did what', () => {
    const base = auditHashInput(entry);
    const changes: Partial<typeof entry>[] = [
      { id: '0197f9a0-5a00-7000-8000-000000000002' },
      { stationId: 'ps-mostar' },
      { officerId: 'officer-18' },
      { createdAt: entry.createdAt + 1 },
      { sequence: 2 },
      { action: 'registration.view' },
      { recordType: 'crossing' },
      { recordId: '0197f9a0-5a00-7000-8000-0000000000ab' },
      { details: { fields: 'address', reason: 'typo' } },
      { previousHash: 'f'.repeat(64) },
    ];
    for (const change of changes) expect(auditHashInput({ ...entry, ...change })).not.toBe(base);
  });
});

describe('an audit chain', () => {
  it('built with SHA-256 over auditHashInput holds, and its entries are valid records', () => {
    const entries = chainOf(25);
    expect(chainHolds(entries)).toBe(true);
    for (const current of entries) expect(auditEntryValidator.safeParse(current).error).toBeUndefined();
  });

  it('shows an altered entry', () => {
    const entries = chainOf(10);
    entries[4] = { ...entries[4]!, officerId: 'someone-else' };
    expect(chainHolds(entries)).toBe(false);
  });

  it('shows a removed entry', () => {
    const entries = chainOf(10);
    entries.splice(6, 1);
    expect(chainHolds(entries)).toBe(false);
  });
});
