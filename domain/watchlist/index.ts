export type {
  AlertKind,
  DocumentAlert,
  DocumentAlertKind,
  MatchReason,
  MatchReasonCode,
  PersonAlert,
  PersonAlertKind,
  TravellerQuery,
  WatchlistAlert,
  WatchlistCandidate,
} from './alerts';
export { type AlertProblem, type WatchlistIndex, type WatchlistSearchOptions, buildWatchlistIndex } from './watchlist-index';
export {
  type Perturbation,
  generateSyntheticAlerts,
  type NameVariety,
  syntheticStranger,
  syntheticTraveller,
} from './synthetic';
