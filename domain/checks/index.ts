export { type RefusalReasonCode, refusalReasons } from './refusal-reasons';
export type {
  CheckCode,
  CheckFacts,
  CheckResult,
  CheckSeverity,
  EarlierRefusal,
  EntryCheckInput,
  PlannedStay,
  TravelDocumentFacts,
  TravellerHistory,
  VisaFacts,
  VisaRegime,
  WatchlistField,
} from './entry-check-types';
export { entryChecks, suggestedRefusalReasons } from './entry-checks';
export { exitStayChecks } from './stay-checks';
export { travellerQueryFrom } from './traveller-query';
export { documentFactsFromMrz, type DocumentFactsResult } from './document-facts';
export { agreeingFields } from './watchlist-checks';
