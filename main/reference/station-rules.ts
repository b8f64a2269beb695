import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import { RULES_LIST, rulesInForce, type Rules, type RulesEntry, type RulesInForce } from '../../domain/rules';
import { calendarDayOf, isoInstant } from '../../domain/time';
import type { StationDatabase } from '../services/station-store';

/**
 * The rules this station works by: the defaults of domain/rules with the overrides of the
 * rules code list's entry in force today (see rulesInForce). The entries come with the
 * other code lists from the server, so that a change of the law reaches every station
 * with its next pull, dated ahead if need be, without a new release. The services ask
 * for the rules each time they judge something, and get them as of that day.
 */
export class StationRules {
  private entries: readonly RulesEntry[] = [];
  private changes = 0;
  private known: { day: string; changes: number; inForce: RulesInForce } | null = null;
  private subscription: Subscription | null = null;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the rules entries the store holds, and each change a pull brings to them, until stop(). */
  async follow(database: StationDatabase): Promise<void> {
    this.stop();
    const query = database.codeLists.find({ selector: { list: RULES_LIST } });
    this.take((await query.exec()).map((entry) => entry.toJSON()));
    this.subscription = query.$.subscribe((entries) => this.take(entries.map((entry) => entry.toJSON())));
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  /** The rules in force now (the defaults until a store is followed). */
  current(): Rules {
    return this.inForce().rules;
  }

  /** The rules in force now, which entry they come from, and why an entry could not be used. */
  inForce(): RulesInForce {
    const day = calendarDayOf(isoInstant(this.now()));
    if (this.known?.day === day && this.known.changes === this.changes) return this.known.inForce;
    const inForce = rulesInForce(this.entries, day);
    // Said once per change (the text names the entry and the fields, never personal data).
    if (inForce.problem && inForce.problem !== this.known?.inForce.problem) this.log.error({ entry: inForce.entry }, inForce.problem);
    this.known = { day, changes: this.changes, inForce };
    return inForce;
  }

  private take(entries: readonly RulesEntry[]): void {
    this.entries = entries;
    this.changes++;
  }
}
