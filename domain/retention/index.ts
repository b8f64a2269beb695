export {
  OVERSTAY_CHECK,
  type RetainedCollection,
  type RetainedRecord,
  earliestCutoff,
  isOverstayCrossing,
  orphanBiometricCutoff,
  orphanBiometricRetainedUntil,
  overstayers,
  personKey,
  retainedCollections,
  retainedUntil,
  yearsAfter,
} from './retention';
