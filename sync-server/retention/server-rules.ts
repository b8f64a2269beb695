import { RULES_LIST, rulesInForce, type Rules, type RulesEntry } from '../../domain/rules';
import { calendarDayOf, isoInstant } from '../../domain/time';
import type { SyncRepository } from '../store/repository';

/** The rules in force at a moment (the server's retention periods, for purges and pushes). */
export type RulesAt = (now: number) => Promise<Rules>;

/** Reads the rules code list a page at a time. */
const PAGE = 500;

/**
 * The server's rules: its base (MIS_RULES_FILE, or the defaults) with the overrides of the
 * rules code list's entry in force that day, the same entry the stations take (see
 * domain/rules rulesInForce), so that one imported entry changes the periods everywhere.
 * The entries are read once and again after any change to the code lists (an import on
 * any node reaches every node's change feed).
 */
export class ServerRules {
  private entries: Promise<RulesEntry[]> | null = null;
  private readonly stopListening: () => void;
  private lastProblem: string | null = null;

  constructor(
    private readonly repository: SyncRepository,
    private readonly base: Rules,
    private readonly onProblem: (entry: string | null, problem: string) => void = () => undefined,
  ) {
    this.stopListening = repository.onChange((change) => {
      if (change.collection === 'codeLists') this.entries = null;
    });
  }

  readonly at: RulesAt = async (now) => {
    this.entries ??= this.read();
    const entries = this.entries;
    let read: RulesEntry[];
    try {
      read = await entries;
    } catch (error) {
      // Read again next time rather than keep the failure.
      if (this.entries === entries) this.entries = null;
      throw error;
    }
    const inForce = rulesInForce(read, calendarDayOf(isoInstant(now)), this.base);
    if (inForce.problem && inForce.problem !== this.lastProblem) this.onProblem(inForce.entry, inForce.problem);
    this.lastProblem = inForce.problem;
    return inForce.rules;
  };

  stop(): void {
    this.stopListening();
  }

  private async read(): Promise<RulesEntry[]> {
    const entries: RulesEntry[] = [];
    for (let after = 0; ; ) {
      const { records, checkpoint } = await this.repository.pull('codeLists', { kind: 'all' }, after, PAGE);
      for (const { document } of records) if (document.list === RULES_LIST && !document._deleted) entries.push(document as unknown as RulesEntry);
      if (records.length < PAGE) return entries;
      after = checkpoint;
    }
  }
}
