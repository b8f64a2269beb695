import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditEntryValidator } from './audit';
import { AUDIT_GENESIS_HASH, type AuditChainEntry, auditHashInput, readAuditChainEntry, verifyAuditChain } from './audit-chain';
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

/** The entry with a field changed and its own hash made to match again, as a forger would. */
function rehashed(changed: AuditEntry): AuditEntry {
  return { ...changed, hash: sha256(auditHashInput(changed)) };
}

describe('verifyAuditChain', () => {
  it('passes an intact trail, with its length and last hash', () => {
    const entries = chainOf(12);
    expect(verifyAuditChain(entries, sha256)).toEqual({ ok: true, stationId: entries[0]!.stationId, entries: 12, lastSequence: 12, lastHash: entries[11]!.hash });
  });

  it('passes an empty trail, which ends at the start', () => {
    expect(verifyAuditChain([], sha256, { stationId: 'ps-mostar' })).toEqual({ ok: true, stationId: 'ps-mostar', entries: 0, lastSequence: 0, lastHash: AUDIT_GENESIS_HASH });
  });

  const cases: { name: string; tamper: (entries: AuditEntry[]) => AuditEntry[]; kind: string; sequence: number; entryAt: number; held: number; message: RegExp }[] = [
    {
      name: 'an entry whose content was changed',
      tamper: (entries) => entries.with(4, { ...entries[4]!, officerId: 'someone-else' }),
      kind: 'edited',
      sequence: 5,
      entryAt: 4,
      held: 4,
      message: /^Entry 5 \(id .+\) of station .+ was changed after it was recorded: its content no longer matches its fingerprint \(hash\)\.$/,
    },
    {
      name: 'an entry changed and rehashed: the next one no longer follows it',
      tamper: (entries) => entries.with(4, rehashed({ ...entries[4]!, officerId: 'someone-else' })),
      kind: 'unlinked',
      sequence: 6,
      entryAt: 5,
      held: 5,
      message: /^Entry 6 \(id .+\) of station .+ does not follow entry 5 \(id .+\): it names another previous entry, so entry 5 .+ was changed or replaced/,
    },
    {
      name: 'the first entry naming a previous one (entries before it removed and renumbered)',
      tamper: (entries) => entries.with(0, rehashed({ ...entries[0]!, previousHash: 'a'.repeat(64) })),
      kind: 'unlinked',
      sequence: 1,
      entryAt: 0,
      held: 0,
      message: /should start the trail but names a previous entry/,
    },
    {
      name: 'one entry removed',
      tamper: (entries) => entries.toSpliced(6, 1),
      kind: 'gap',
      sequence: 8,
      entryAt: 6,
      held: 6,
      message: /^Entry 7 is missing from the audit trail of station .+: the trail jumps from entry 6 to entry 8 \(id .+\)\.$/,
    },
    {
      name: 'several entries removed',
      tamper: (entries) => entries.toSpliced(2, 3),
      kind: 'gap',
      sequence: 6,
      entryAt: 2,
      held: 2,
      message: /^Entries 3 to 5 are missing from the audit trail of station .+: the trail jumps from entry 2 to entry 6/,
    },
    {
      name: 'the first entries removed',
      tamper: (entries) => entries.slice(2),
      kind: 'gap',
      sequence: 3,
      entryAt: 0,
      held: 0,
      message: /^Entries 1 to 2 are missing .+: the trail starts at entry 3/,
    },
    {
      name: 'two entries with one number',
      tamper: (entries) => entries.toSpliced(4, 0, rehashed({ ...entries[3]!, id: '0197f9a0-5a00-7000-8000-0000000000ff' })),
      kind: 'duplicate',
      sequence: 4,
      entryAt: 4,
      held: 4,
      message: /^Entry 4 of station .+ appears twice: the entries with ids .+ and 0197f9a0-5a00-7000-8000-0000000000ff both carry that number\.$/,
    },
    {
      name: 'an entry of another station in the trail',
      tamper: (entries) => entries.with(2, rehashed({ ...entries[2]!, stationId: 'ps-elsewhere' })),
      kind: 'edited',
      sequence: 3,
      entryAt: 2,
      held: 2,
      message: /names station ps-elsewhere but is kept in the audit trail of station/,
    },
  ];

  for (const { name, tamper, kind, sequence, entryAt, held, message } of cases) {
    it(`names the first broken entry: ${name}`, () => {
      const entries = tamper(chainOf(10));
      const verdict = verifyAuditChain(entries, sha256, { stationId: chainOf(1)[0]!.stationId });
      expect(verdict).toMatchObject({ ok: false, entries: held, broken: { kind, sequence, entryId: entries[entryAt]!.id } });
      expect(verdict.ok || verdict.broken.message).toMatch(message);
    });
  }

  it('names the missing range of a gap', () => {
    const verdict = verifyAuditChain(chainOf(10).toSpliced(2, 3), sha256);
    expect(verdict.ok || verdict.broken.missing).toEqual({ first: 3, last: 5 });
  });

  it('names an entry that can no longer be read, where it stands', () => {
    const entries: (AuditChainEntry | { unreadable: true; id: string; stationId: string; sequence: number | null })[] = chainOf(5);
    const station = entries[0]!.stationId;
    const damaged = entries.with(3, { unreadable: true, id: 'row-4', stationId: station, sequence: null });
    expect(verifyAuditChain(damaged, sha256)).toMatchObject({
      ok: false,
      entries: 3,
      broken: { kind: 'edited', sequence: null, entryId: 'row-4', message: `The entry with id row-4, after entry 3, of station ${station} can no longer be read as an audit entry: it was altered outside the application, or the file is damaged.` },
    });
  });

  it('reads entries as it goes and stops at the first break, so a trail of millions need not be in memory', () => {
    const source = chainOf(10).with(2, { ...chainOf(10)[2]!, officerId: 'someone-else' });
    let read = 0;
    function* reading() {
      for (const entry of source) {
        read++;
        yield entry;
      }
    }
    expect(verifyAuditChain(reading(), sha256)).toMatchObject({ ok: false, broken: { sequence: 3 } });
    expect(read).toBe(3);
  });

  it('refuses entries out of sequence order, which would make any answer meaningless', () => {
    const entries = chainOf(4);
    expect(() => verifyAuditChain([entries[0]!, entries[1]!, entries[2]!, entries[0]!], sha256)).toThrow(/sequence order/);
  });

  it('finds any change to any field of any entry, and names that entry', () => {
    const entries = chainOf(8);
    const fields = ['id', 'stationId', 'officerId', 'createdAt', 'sequence', 'action', 'recordType', 'recordId', 'details', 'previousHash', 'hash'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 8 }), (position, field, noise) => {
        const original = entries[position]!;
        const changed = field === 'details' ? { ...original.details, note: noise } : typeof original[field] === 'number' ? (original[field] as number) + noise.length : `${String(original[field])}${noise}`;
        const tampered = entries.with(position, { ...original, [field]: changed } as AuditEntry);
        const verdict = verifyAuditChain(tampered, sha256, { stationId: original.stationId });
        expect(verdict.ok).toBe(false);
        // A changed number can also read as a gap after the entry before it; it is always this entry that is named.
        expect(verdict.ok || verdict.broken.entryId).toBe(tampered[position]!.id);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readAuditChainEntry', () => {
  it('reads a stored document with what the store keeps beside it, keeping only the chained fields', () => {
    const [first] = chainOf(1);
    const stored = { ...first!, _deleted: false, _rev: '1-abc', _meta: { lwt: 1 }, receivedAt: 5 };
    const { receivedAt: _ignored, ...chained } = first!;
    expect(readAuditChainEntry(stored)).toEqual(chained);
  });

  it('reads an entry whose values the schema would refuse, so that it can be named as edited', () => {
    const [first] = chainOf(1);
    expect(readAuditChainEntry({ ...first!, action: 'NOT AN ACTION' })).toMatchObject({ action: 'NOT AN ACTION' });
  });

  it('gives null for what is not an audit entry any more', () => {
    const [first] = chainOf(1);
    expect(readAuditChainEntry({ ...first!, details: null })).toBeNull();
    expect(readAuditChainEntry({ ...first!, sequence: '3' })).toBeNull();
    expect(readAuditChainEntry('{"id":')).toBeNull();
  });
});
