export { type RefusalReasonCode, refusalReasons } from './refusal-reasons';
export type {
  CheckCode,
  CheckResult,
  CheckSeverity,
  EarlierRefusal,
  EntryCheckInput,
  PlannedStay,
  TravelDocumentFacts,
  TravellerHistory,
  VisaFacts,
  VisaRegime,
} from './entry-check-types';
export { entryChecks, suggestedRefusalReasons } from './entry-checks';
export { travellerQueryFrom } from './traveller-query';
export { documentFactsFromMrz, type DocumentFactsResult } from './document-facts';
