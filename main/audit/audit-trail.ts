import { createHash } from 'node:crypto';
import type { RxCollection, RxDocument } from 'rxdb';
import { newId } from '../../domain/ids';
import { type AuditChainVerdict, AuditChainWalk, type AuditEntry, auditEntryValidator, auditHashInput, AUDIT_GENESIS_HASH } from '../../domain/records';

/** What happened, as the caller knows it; the trail adds the station, time, number and hashes. */
export interface AuditEvent {
  /** The officer who acted; UNKNOWN_OFFICER ('unknown') when no officer can be named (a login with an unknown username). */
  officerId: string;
  /** 'login', 'registration.create', 'crossing.view' … */
  action: string;
  recordType?: AuditEntry['recordType'];
  recordId?: string;
  /** Never personal data: no names, document numbers or dates of a person; point at the record instead. */
  details?: Record<string, string>;
}

export class AuditTrailError extends Error {
  constructor(
    readonly code: 'AUDIT_ENTRY_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'AuditTrailError';
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The last entry of the trail: the next one takes its number plus one and names its hash. */
interface TrailHead {
  sequence: number;
  hash: string;
}

/** Entries read per query when the trail is verified. */
const VERIFY_PAGE = 1_000;

/**
 * The station's audit trail: who did what, appended one entry at a time, each numbered
 * 1, 2, 3… and naming the hash of the one before it (domain/records/audit-chain.ts), so
 * that a removed or altered entry shows.
 *
 * Appends run one after the other (two at once would take the same number). The last
 * entry is read once, from the (stationId, sequence) index, and then kept in memory: this
 * process is the only writer of the station's trail (the station lock sees to that). When
 * an insert fails, the kept head stays where it was, so the next entry takes the number
 * the failed one would have had.
 */
export class AuditTrail {
  private head: TrailHead | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly collection: RxCollection<AuditEntry>,
    private readonly stationId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends an entry; resolves with it once it is stored. */
  record(event: AuditEvent): Promise<AuditEntry> {
    const appended = this.queue.then(() => this.append(event));
    this.queue = appended.catch(() => undefined);
    return appended;
  }

  /**
   * Walks the station's trail in number order, a page at a time, and returns its length
   * and last hash, or its first broken entry. Appends may go on meanwhile.
   */
  async verify(): Promise<AuditChainVerdict> {
    const walk = new AuditChainWalk(this.stationId, sha256Hex);
    let after: { sequence: number; id: string } | null = null;
    for (;;) {
      const page: RxDocument<AuditEntry>[] = await this.collection
        .find({
          // The range on sequence lets the store start the page where the last one ended,
          // rather than walk the trail from its first entry to it.
          selector: after
            ? { stationId: this.stationId, sequence: { $gte: after.sequence }, $or: [{ sequence: { $gt: after.sequence } }, { sequence: after.sequence, id: { $gt: after.id } }] }
            : { stationId: this.stationId },
          sort: [{ stationId: 'asc' }, { sequence: 'asc' }, { id: 'asc' }],
          limit: VERIFY_PAGE,
        })
        .exec();
      for (const document of page) {
        if (walk.add(document.toJSON())) return walk.verdict;
      }
      const last = page.at(-1);
      if (!last || page.length < VERIFY_PAGE) return walk.verdict;
      after = { sequence: last.sequence, id: last.id };
    }
  }

  private async append(event: AuditEvent): Promise<AuditEntry> {
    const head = this.head ?? (await this.readHead());
    const createdAt = this.now();
    const unhashed = {
      id: newId(createdAt),
      stationId: this.stationId,
      officerId: event.officerId,
      createdAt,
      sequence: head.sequence + 1,
      action: event.action,
      recordType: event.recordType ?? '',
      recordId: event.recordId ?? '',
      details: { ...event.details },
      previousHash: head.hash,
    } satisfies Omit<AuditEntry, 'hash' | 'receivedAt'>;
    const entry: AuditEntry = { ...unhashed, receivedAt: 0, hash: sha256Hex(auditHashInput(unhashed)) };
    const checked = auditEntryValidator.safeParse(entry);
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ');
      throw new AuditTrailError('AUDIT_ENTRY_INVALID', `The audit entry for "${event.action.slice(0, 64)}" cannot be recorded: ${problems}.`);
    }
    await this.collection.insert(entry);
    this.head = { sequence: entry.sequence, hash: entry.hash };
    return entry;
  }

  private async readHead(): Promise<TrailHead> {
    const [last] = await this.collection
      .find({ selector: { stationId: this.stationId }, sort: [{ stationId: 'desc' }, { sequence: 'desc' }, { id: 'desc' }], limit: 1 })
      .exec();
    return last ? { sequence: last.sequence, hash: last.hash } : { sequence: 0, hash: AUDIT_GENESIS_HASH };
  }
}
