export { type Registration, registrationSchema, registrationValidator } from './registrations';
export { type Crossing, crossingSchema, crossingValidator } from './crossings';
export { type Biometric, biometricSchema, biometricValidator } from './biometrics';
export { type AuditEntry, SYSTEM_OFFICER, UNKNOWN_OFFICER, auditEntrySchema, auditEntryValidator } from './audit';
export {
  AUDIT_GENESIS_HASH,
  type AuditChainBreak,
  type AuditChainBreakKind,
  type AuditChainEntry,
  type AuditChainVerdict,
  AuditChainWalk,
  type UnreadableAuditEntry,
  auditChainBreakKinds,
  auditChainDuplicate,
  auditChainGap,
  auditEntryEdited,
  auditEntryUnlinked,
  auditHashInput,
  readAuditChainEntry,
  verifyAuditChain,
} from './audit-chain';
export { type Alert, alertSchema, alertValidator } from './alerts';
export { type Officer, officerSchema, officerValidator } from './officers';
export { officerToV1 } from './migrations/officers-1';
export { type Station, stationSchema, stationValidator } from './stations';
export { type CodeListEntry, PURPOSES_LIST, codeListEntryId, codeListEntrySchema, codeListEntryValidator, inForceOn } from './code-lists';
export type { Person, TravelDocument } from './person';
export { type CollectionDefinition, type CollectionDocuments, type CollectionName, collectionDefinitions } from './collections';
export { documentNumberKey, personNameKey, surnameKeyRange } from './name-key';
export {
  type AlertDraft,
  type Authorship,
  type BiometricDraft,
  type CrossingDraft,
  type PersonDetails,
  type RegistrationDraft,
  alertRecord,
  correctionOf,
  newBiometric,
  newCrossing,
  newRegistration,
  personRecord,
  travelDocumentRecord,
} from './new-records';
export { type EditBy, amendRegistration, cancelRegistration } from './registration-edits';
export { RecordError, type RecordErrorCode } from './errors';
export { type SyntheticOptions, type SyntheticSource, syntheticSource } from './synthetic-source';
export {
  syntheticAlert,
  syntheticAuditEntry,
  syntheticBiometric,
  syntheticCodeListEntry,
  syntheticCrossing,
  syntheticOfficer,
  syntheticPerson,
  syntheticRegistration,
  syntheticStation,
  syntheticTravelDocument,
} from './synthetic';
