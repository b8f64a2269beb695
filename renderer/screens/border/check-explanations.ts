import type { TFunction } from 'i18next';
import type { CheckFacts } from '../../../domain/checks';
import type { AlertKind } from '../../../domain/watchlist';
import { formatCalendarDay, formatList, formatScore } from '../../i18n/format';
import type { Locale } from '../../i18n/resources';
import type { CheckView } from './border-texts';

/**
 * Each check's explanation in the officer's language, worded from its code and the facts
 * main sends with it (the domain's English explanation is for logs and the server). One
 * function per code, each with literal keys, so that the translation test sees every text.
 */

interface Words {
  t: TFunction;
  locale: Locale;
}

type Explain<Facts> = (facts: Facts, words: Words) => string;

/** Every code the checks give: the domain's, and main's own when no alert resembles the traveller. */
type Explainers = { [Code in keyof CheckFacts]: Explain<CheckFacts[Code]> } & { WATCHLIST_CLEAR: Explain<unknown> };

/** A fact holding several values (codes or days), as the domain joins them. */
function listed(values: string): string[] {
  return values === '' ? [] : values.split(',');
}

function days(values: string, locale: Locale): string {
  return formatList(
    listed(values).map((day) => formatCalendarDay(day, locale)),
    locale,
  );
}

function mrzCheckName(name: string, t: TFunction): string {
  const names: Record<string, string> = {
    documentNumberCheckDigit: t('border.mrzDocumentNumberCheckDigit'),
    birthDateCheckDigit: t('border.mrzBirthDateCheckDigit'),
    expiryDateCheckDigit: t('border.mrzExpiryDateCheckDigit'),
    personalNumberCheckDigit: t('border.mrzPersonalNumberCheckDigit'),
    compositeCheckDigit: t('border.mrzCompositeCheckDigit'),
    birthDateCalendar: t('border.mrzBirthDateCalendar'),
    expiryDateCalendar: t('border.mrzExpiryDateCalendar'),
    sexCode: t('border.mrzSexCode'),
    documentCodeCharacters: t('border.mrzDocumentCodeCharacters'),
    issuingStateCharacters: t('border.mrzIssuingStateCharacters'),
    nationalityCharacters: t('border.mrzNationalityCharacters'),
    nameCharacters: t('border.mrzNameCharacters'),
  };
  return names[name] ?? name;
}

function fieldName(field: string, t: TFunction): string {
  const names: Record<string, string> = {
    surname: t('border.fieldSurname'),
    givenNames: t('border.fieldGivenNames'),
    birthDate: t('border.fieldBirthDate'),
    nationality: t('border.fieldNationality'),
    documentNumber: t('border.fieldDocumentNumber'),
  };
  return names[field] ?? field;
}

function alertKindName(kind: AlertKind, t: TFunction): string {
  const names: Record<AlertKind, string> = {
    'entry-ban': t('border.alertEntryBan'),
    'wanted': t('border.alertWanted'),
    'missing-person': t('border.alertMissingPerson'),
    'discreet-check': t('border.alertDiscreetCheck'),
    'lost-stolen-document': t('border.alertLostStolenDocument'),
    'invalidated-document': t('border.alertInvalidatedDocument'),
  };
  return names[kind];
}

/** What a confirmed hit asks of the officer (domain/checks/watchlist-checks.ts). */
function alertAction(kind: AlertKind, t: TFunction): string {
  const actions: Record<AlertKind, string> = {
    'entry-ban': t('border.actionEntryBan'),
    'wanted': t('border.actionWanted'),
    'missing-person': t('border.actionMissingPerson'),
    'discreet-check': t('border.actionDiscreetCheck'),
    'lost-stolen-document': t('border.actionLostStolenDocument'),
    'invalidated-document': t('border.actionInvalidatedDocument'),
  };
  return actions[kind];
}

/** The fields of the traveller that agree with an alert, as a sentence ('' when none is named); the counter's watchlist panel says it too. */
export function agreementSentence(fields: readonly string[], t: TFunction, locale: Locale): string {
  const names = fields.map((field) => fieldName(field, t));
  return names.length === 0 ? '' : t('border.explainMatchedFields', { fields: formatList(names, locale) });
}

function matchedFields(fields: string, { t, locale }: Words): string {
  const sentence = agreementSentence(listed(fields), t, locale);
  return sentence === '' ? '' : ` ${sentence}`;
}

function overstay(facts: CheckFacts['STAY_OVERSTAY'], { t, locale }: Words): string {
  const shared = { count: facts.overstayDays, stayBegan: formatCalendarDay(facts.stayBegan, locale), maxDays: facts.maxDaysInWindow, windowDays: facts.windowDays };
  return facts.latestLawfulExit === ''
    ? t('border.explainOverstayNoDayLeft', shared)
    : t('border.explainOverstay', { ...shared, latestExit: formatCalendarDay(facts.latestLawfulExit, locale) });
}

const EXPLAIN: Explainers = {
  MRZ_INVALID: ({ failedChecks }, { t, locale }) => {
    const failures = listed(failedChecks).map((name) => mrzCheckName(name, t));
    const named = failures.length === 0 ? '' : ` ${t('border.explainMrzFailed', { failures: formatList(failures, locale) })}`;
    return `${t('border.explainMrzInvalid')}${named}`;
  },
  DOCUMENT_EXPIRED: (facts, { t, locale }) =>
    t('border.explainDocumentExpired', { expiryDate: formatCalendarDay(facts.expiryDate, locale), entryDate: formatCalendarDay(facts.entryDate, locale) }),
  DOCUMENT_EXPIRES_TOO_SOON: (facts, { t, locale }) =>
    t('border.explainDocumentExpiresTooSoon', {
      count: facts.validMonthsAfterDeparture,
      expiryDate: formatCalendarDay(facts.expiryDate, locale),
      departureDate: formatCalendarDay(facts.plannedDepartureDate, locale),
      validUntil: formatCalendarDay(facts.validUntilAtLeast, locale),
    }),
  DOCUMENT_TOO_OLD: (facts, { t, locale }) =>
    t('border.explainDocumentTooOld', {
      count: facts.issuedWithinYears,
      issueDate: formatCalendarDay(facts.issueDate, locale),
      entryDate: formatCalendarDay(facts.entryDate, locale),
      issuedBefore: formatCalendarDay(facts.issuedNoEarlierThan, locale),
    }),
  DOCUMENT_ISSUE_DATE_UNKNOWN: (facts, { t }) => t('border.explainIssueDateUnknown', { count: facts.issuedWithinYears }),
  OWN_NATIONAL: (facts, { t }) => t('border.explainOwnNational', { nationality: facts.nationality }),
  VISA_REQUIRED: (facts, { t }) => t('border.explainVisaRequired', { nationality: facts.nationality }),
  VISA_PRESENTED: (facts, { t }) => t('border.explainVisaPresented', { nationality: facts.nationality }),
  VISA_NOT_REQUIRED: (facts, { t }) => t('border.explainVisaNotRequired', { nationality: facts.nationality }),
  VISA_REGIME_UNKNOWN: (facts, { t }) => t('border.explainVisaRegimeUnknown', { nationality: facts.nationality }),
  STAY_LIMIT_USED_UP: (facts, { t, locale }) =>
    t('border.explainStayLimitUsedUp', {
      count: facts.daysBeforeEntry,
      windowDays: facts.windowDays,
      entryDate: formatCalendarDay(facts.entryDate, locale),
      dayOnEntry: facts.dayOnEntry,
      maxDays: facts.maxDaysInWindow,
    }),
  PLANNED_STAY_TOO_LONG: (facts, { t, locale }) =>
    t('border.explainPlannedStayTooLong', {
      count: facts.daysOver,
      departureDate: formatCalendarDay(facts.plannedDepartureDate, locale),
      latestExit: formatCalendarDay(facts.latestLawfulExit, locale),
      maxDays: facts.maxDaysInWindow,
      windowDays: facts.windowDays,
    }),
  STAY_DAYS_USED: (facts, { t, locale }) => {
    const used = t('border.explainStayDaysUsed', {
      count: facts.daysUsedOnEntry,
      maxDays: facts.maxDaysInWindow,
      windowDays: facts.windowDays,
      entryDate: formatCalendarDay(facts.entryDate, locale),
    });
    const left =
      facts.latestLawfulExit === ''
        ? t('border.explainStayNoDayLeft')
        : t('border.explainStayDaysLeft', {
            count: facts.daysLeftOnDeparture,
            departureDate: formatCalendarDay(facts.plannedDepartureDate, locale),
            latestExit: formatCalendarDay(facts.latestLawfulExit, locale),
          });
    return `${used} ${left}`;
  },
  STAY_RECORD_INCOMPLETE: (facts, { t, locale }) => {
    const exits = listed(facts.exitsWithoutEntry).length;
    const entries = listed(facts.entriesWithoutExit).length;
    const gaps = [
      ...(exits > 0 ? [t('border.explainExitsWithoutEntry', { count: exits, days: days(facts.exitsWithoutEntry, locale) })] : []),
      ...(entries > 0 ? [t('border.explainEntriesWithoutExit', { count: entries, days: days(facts.entriesWithoutExit, locale) })] : []),
    ];
    return t('border.explainStayRecordIncomplete', { gaps: gaps.join('; ') });
  },
  EARLIER_REFUSAL: (facts, { t, locale }) => {
    const reasons = facts.reasons === '' ? t('border.reasonsNotRecorded') : listed(facts.reasons).join(', ');
    const date = formatCalendarDay(facts.refusedOn, locale);
    return facts.crossingPoint === ''
      ? t('border.explainEarlierRefusal', { date, reasons })
      : t('border.explainEarlierRefusalAt', { date, reasons, crossingPoint: facts.crossingPoint });
  },
  WATCHLIST_HIT: (facts, words) =>
    words.t('border.explainWatchlistHit', {
      alertId: facts.alertId,
      kind: alertKindName(facts.alertKind, words.t),
      score: formatScore(facts.score, words.locale),
      action: alertAction(facts.alertKind, words.t),
    }) + matchedFields(facts.matchedFields, words),
  WATCHLIST_POSSIBLE_MATCH: (facts, words) =>
    words.t('border.explainWatchlistPossibleMatch', {
      alertId: facts.alertId,
      kind: alertKindName(facts.alertKind, words.t),
      score: formatScore(facts.score, words.locale),
      threshold: formatScore(facts.hitThreshold, words.locale),
    }) + matchedFields(facts.matchedFields, words),
  WATCHLIST_CLEAR: (_facts, { t }) => t('border.explainWatchlistClear'),
  FINGERPRINTS_REQUIRED: (_facts, { t }) => t('border.fingerprintsRequired'),
  FINGERPRINTS_EXEMPT_UNDER_12: (facts, { t, locale }) =>
    t('border.explainFingerprintsExempt', {
      count: facts.oldestAge,
      age: facts.youngestAge === facts.oldestAge ? String(facts.oldestAge) : `${facts.youngestAge}–${facts.oldestAge}`,
      date: formatCalendarDay(facts.entryDate, locale),
      exemptUnderAge: facts.exemptUnderAge,
    }),
  FINGERPRINTS_AGE_UNCERTAIN: (facts, { t, locale }) =>
    facts.youngestAge === '' || facts.oldestAge === ''
      ? t('border.explainFingerprintsYearUnknown', { exemptUnderAge: facts.exemptUnderAge })
      : t('border.explainFingerprintsPartialBirthDate', {
          birthDate: facts.birthDate,
          date: formatCalendarDay(facts.entryDate, locale),
          youngest: facts.youngestAge,
          oldest: facts.oldestAge,
          exemptUnderAge: facts.exemptUnderAge,
        }),
  STAY_OVERSTAY: overstay,
  STAY_NO_OVERSTAY: (facts, { t, locale }) =>
    t('border.explainNoOverstay', {
      stayBegan: formatCalendarDay(facts.stayBegan, locale),
      maxDays: facts.maxDaysInWindow,
      windowDays: facts.windowDays,
      latestExit: facts.latestLawfulExit === '' ? t('border.noLawfulDay') : formatCalendarDay(facts.latestLawfulExit, locale),
    }),
};

/**
 * A check's explanation in the officer's language. The facts are read as the shape their
 * code gives them: main and the renderer are built together from the same domain rules.
 * A code this screen does not know keeps the English explanation.
 */
export function explainCheck(check: CheckView, t: TFunction, locale: Locale): string {
  // The one place the facts are trusted to have their code's shape: the API carries them as a flat record.
  const explainers = EXPLAIN as unknown as Readonly<Record<string, Explain<CheckView['facts']>>>;
  const explain = Object.hasOwn(explainers, check.code) ? explainers[check.code] : undefined;
  return explain ? explain(check.facts, { t, locale }) : check.explanation;
}
