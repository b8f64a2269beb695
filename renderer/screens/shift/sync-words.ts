import type { TFunction } from 'i18next';

/** Why sync failed, in the officer's words, from the stable code main reports (the message is English). */
export function failureWords(code: string, t: TFunction): string {
  switch (code) {
    case 'NETWORK':
      return t('shift.failNetwork');
    case 'TIMEOUT':
      return t('shift.failTimeout');
    case 'BAD_RESPONSE':
      return t('shift.failBadResponse');
    case 'STATION_NOT_AUTHENTICATED':
      return t('shift.failNotAuthenticated');
    case 'RECORD_INVALID':
      return t('shift.failRecordInvalid');
    case 'RECORD_OF_OTHER_STATION':
      return t('shift.failOtherStation');
    case 'RECORD_OFFICER_UNKNOWN':
      return t('shift.failOfficerUnknown');
    case 'RECORD_IMMUTABLE':
      return t('shift.failImmutable');
    default:
      return t('shift.failOther', { code });
  }
}

/** A station collection as the supervisor calls its records. */
export function kindWords(collection: string, t: TFunction): string {
  switch (collection) {
    case 'registrations':
      return t('shift.kindRegistrations');
    case 'crossings':
      return t('shift.kindCrossings');
    case 'biometrics':
      return t('shift.kindBiometrics');
    case 'audit':
      return t('shift.kindAudit');
    default:
      return collection;
  }
}
