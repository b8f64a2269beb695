export { StayError, type StayErrorCode } from './errors';
export {
  type Crossing,
  type CrossingDirection,
  type StayAnomaly,
  type StayAnomalyCode,
  type StayHistory,
  type StayRecord,
  buildStayHistory,
} from './stay-history';
export { daysUsedIn180 } from './days-used';
export {
  type OverstayAssessment,
  type PlannedStayAssessment,
  assessOverstayOnExit,
  assessPlannedStay,
  latestLawfulExit,
} from './planned-stay';
export {
  type AccommodationType,
  type RegistrationDeadline,
  type RegistrationFacts,
  type RegistrationResponsible,
  type RegistrationStatus,
  registrationDeadline,
} from './registration';
export {
  type AddressChangeDeadline,
  type AddressChangeFacts,
  type ResidenceKind,
  addressChangeDeadline,
} from './address-change';
export { type DeadlineStatus } from './deadline';
