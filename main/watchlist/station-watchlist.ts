import type { RxCollection } from 'rxdb';
import type { Alert } from '../../domain/records';
import type { Rules } from '../../domain/rules';
import { calendarDayOf, isoInstant } from '../../domain/time';
import { buildWatchlistIndex, type TravellerQuery, type WatchlistAlert, type WatchlistCandidate, type WatchlistIndex } from '../../domain/watchlist';

const DOCUMENT_ALERT_KINDS = new Set<Alert['kind']>(['lost-stolen-document', 'invalidated-document']);

/** A stored alert as the watchlist engine takes it. */
export function watchlistAlertOf(alert: Alert): WatchlistAlert {
  if (DOCUMENT_ALERT_KINDS.has(alert.kind)) {
    return {
      subject: 'document',
      alertId: alert.id,
      kind: alert.kind as 'lost-stolen-document' | 'invalidated-document',
      documentNumber: alert.documentNumber,
      ...(alert.issuingState ? { issuingState: alert.issuingState } : {}),
    };
  }
  return {
    subject: 'person',
    alertId: alert.id,
    kind: alert.kind as 'wanted' | 'entry-ban' | 'missing-person' | 'discreet-check',
    surname: alert.surname ?? '',
    givenNames: alert.givenNames ?? '',
    ...(alert.birthDate ? { birthDate: alert.birthDate } : {}),
    ...(alert.nationality ? { nationality: alert.nationality } : {}),
  };
}

/**
 * The station's watchlist: the alerts pulled from the server that are in force today,
 * indexed for the matcher. Shared by the workflows that look a traveller up (counter
 * registration, border control), so that both see the same alerts the same way.
 */
export class StationWatchlist {
  private built: { version: string; rules: Rules; index: WatchlistIndex } | null = null;

  constructor(
    private readonly alerts: () => RxCollection<Alert>,
    private readonly now: () => number,
    /** The rules in force (their watchlist thresholds shape the index). */
    private readonly rules: () => Rules,
  ) {}

  /** The alerts that may be about this traveller or document, best first. */
  async search(query: TravellerQuery): Promise<WatchlistCandidate[]> {
    return (await this.index()).search(query);
  }

  /**
   * The index is built again when the alerts pulled from the server change (their
   * number or the newest updatedAt), the day changes or the rules do, not per scan:
   * building it costs far more than a search.
   */
  private async index(): Promise<WatchlistIndex> {
    const alerts = this.alerts();
    const [count, newest] = await Promise.all([alerts.count().exec(), alerts.findOne({ selector: {}, sort: [{ updatedAt: 'desc' }] }).exec()]);
    const today = calendarDayOf(isoInstant(this.now()));
    const rules = this.rules();
    const version = `${count}|${newest?.updatedAt ?? 0}|${today}`;
    if (this.built?.version !== version || this.built.rules !== rules) {
      const inForce = (await alerts.find().exec())
        .map((document) => document.toJSON() as Alert)
        .filter((alert) => alert.validFrom <= today && (alert.validUntil === undefined || alert.validUntil >= today));
      this.built = { version, rules, index: buildWatchlistIndex(inForce.map(watchlistAlertOf), rules) };
    }
    return this.built.index;
  }
}
