import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { agreeingFields } from '../../../domain/checks';
import type { RegistrationDeadline } from '../../../domain/stay';
import { agreementSentence } from '../border/check-explanations';
import { formatDate, formatTime } from '../../i18n/format';
import { useLocale } from '../../i18n/init';
import type { Locale } from '../../i18n/resources';
import { Kbd } from '../../ui/shortcuts';
import { codeListLabel } from './code-list-label';
import type { PreparedDocument, CodeListEntry } from './registration-form';

/** A moment as date and time in the officer's language. */
export function formatMoment(ms: number, locale: Locale): string {
  const at = new Date(ms);
  return `${formatDate(at, locale)} ${formatTime(at, locale)}`;
}

/** A calendar day ('2026-12-06') in the officer's language, read as the day it names. */
export function formatDay(day: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  return formatDate(new Date(`${day}T00:00:00Z`), locale, { timeZone: 'UTC' });
}

/** Minutes as hours and minutes ("2 h 5 min"). */
export function duration(minutes: number, t: TFunction): string {
  return t('registration.duration', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

export function registrationStatusText(status: string, t: TFunction): string {
  const texts: Record<string, string> = { active: t('registration.statusActive'), amended: t('registration.statusAmended'), cancelled: t('registration.statusCancelled') };
  return texts[status] ?? status;
}

/** What the reader engine read, and every correction it made, to compare with the page. */
export function ReadingPanel({ prepared }: { prepared: PreparedDocument }) {
  const { t } = useTranslation();
  const { mrz } = prepared;
  return (
    <section className="registration-panel" aria-labelledby="registration-reading-title" data-testid="registration-reading">
      <h3 id="registration-reading-title">{t('registration.readingTitle')}</h3>
      {!mrz && <p>{t('registration.typedDocument')}</p>}
      {mrz && (
        <>
          <p className={mrz.valid ? 'registration-ok' : 'registration-warning'} data-testid="registration-reading-valid" data-valid={mrz.valid}>
            {mrz.valid ? t('registration.readingValid', { format: mrz.format }) : t('registration.readingInvalid', { format: mrz.format })}
          </p>
          {mrz.corrections.length === 0 ? (
            <p>{t('registration.noCorrections')}</p>
          ) : (
            <>
              <h4>{t('registration.correctionsTitle')}</h4>
              <ul data-testid="registration-corrections">
                {mrz.corrections.map((correction) => (
                  <li key={`${correction.line}:${correction.position}`}>
                    {t('registration.correction', { line: correction.line, position: correction.position, from: correction.from, to: correction.to, field: correction.field })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {mrz.warnings.length > 0 && (
            <>
              <h4>{t('registration.warningsTitle')}</h4>
              {/* The engine's own words (English), with its code for support staff. */}
              <ul lang="en">
                {mrz.warnings.map((warning) => (
                  <li key={`${warning.code}:${warning.field ?? ''}`}>
                    <code>{warning.code}</code> {warning.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Registration deadline and lateness as the domain rules give them (Law on Foreigners, Art. 103). */
export function DeadlinePanel({ deadline, ifSavedNow }: { deadline: RegistrationDeadline | null; ifSavedNow: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="registration-panel" aria-labelledby="registration-deadline-title" data-testid="registration-deadline" data-status={deadline?.status ?? 'unknown'}>
      <h3 id="registration-deadline-title">{t('registration.deadlineTitle')}</h3>
      {!deadline && <p>{t('registration.deadlineUnknown')}</p>}
      {deadline && <DeadlineText deadline={deadline} ifSavedNow={ifSavedNow} locale={locale} t={t} />}
    </section>
  );
}

export function DeadlineText({ deadline, ifSavedNow, locale, t }: { deadline: RegistrationDeadline; ifSavedNow: boolean; locale: Locale; t: TFunction }) {
  if (!deadline.required) return <p>{t('registration.deadlineNotRequired')}</p>;
  const late = deadline.status === 'registered-late' || deadline.status === 'overdue';
  return (
    <>
      <p>{deadline.responsible === 'accommodation-provider' ? t('registration.responsibleProvider') : t('registration.responsibleForeigner')}</p>
      {deadline.dueAt && <p>{t('registration.deadlineDue', { dueAt: formatMoment(Date.parse(deadline.dueAt), locale) })}</p>}
      <p className={late ? 'registration-warning' : 'registration-ok'}>
        {ifSavedNow
          ? late
            ? t('registration.previewLate', { duration: duration(deadline.minutesLate, t) })
            : t('registration.previewOnTime')
          : late
            ? t('registration.deadlineLate', { duration: duration(deadline.minutesLate, t) })
            : t('registration.deadlineOnTime')}
      </p>
    </>
  );
}

/** Alerts of the local watchlist that may be about this person or document, best first. */
export function WatchlistPanel({ prepared, checking }: { prepared: PreparedDocument | null; checking: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const kinds: Record<string, string> = {
    wanted: t('registration.alertWanted'),
    'entry-ban': t('registration.alertEntryBan'),
    'missing-person': t('registration.alertMissingPerson'),
    'discreet-check': t('registration.alertDiscreetCheck'),
    'lost-stolen-document': t('registration.alertLostStolen'),
    'invalidated-document': t('registration.alertInvalidated'),
  };
  const candidates = prepared?.watchlist ?? [];
  const hits = candidates.filter((candidate) => candidate.hit).length;
  return (
    <section
      className={`registration-panel ${hits > 0 ? 'registration-panel--alert' : ''}`}
      aria-labelledby="registration-watchlist-title"
      data-testid="registration-watchlist"
      data-hits={hits}
      data-candidates={candidates.length}
      data-document-number={prepared?.document.documentNumber ?? ''}
      aria-busy={checking}
    >
      <h3 id="registration-watchlist-title">{t('registration.watchlistTitle')}</h3>
      {!prepared && <p>{checking ? t('registration.checking') : t('registration.watchlistNotChecked')}</p>}
      {prepared && candidates.length === 0 && <p className="registration-ok">{t('registration.watchlistClear')}</p>}
      {candidates.length > 0 && (
        <ul>
          {candidates.map((candidate) => (
            <li key={candidate.alertId} className={candidate.hit ? 'registration-warning' : undefined}>
              <strong>{candidate.hit ? t('registration.watchlistHit') : t('registration.watchlistPossible')}</strong>: {kinds[candidate.kind] ?? candidate.kind} (
              {t('registration.watchlistScore', { score: candidate.score.toFixed(2) })})
              <p>{agreementSentence(agreeingFields(candidate.reasons.map((reason) => reason.code)), t, locale)}</p>
              <details>
                <summary>{t('registration.watchlistDetails')}</summary>
                <ul lang="en">
                  {candidate.reasons.map((reason) => (
                    <li key={reason.code}>{reason.text}</li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The person's earlier registrations and crossings at this station; a registration opens with its button. */
export function EarlierPanel({ prepared, purposes, onOpen }: { prepared: PreparedDocument | null; purposes: readonly CodeListEntry[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!prepared) return null;
  const { registrations, crossings } = prepared.earlier;
  const purposeLabel = (code: string) => {
    const purpose = purposes.find((entry) => entry.code === code);
    return purpose ? codeListLabel(purpose.labels, locale) : code;
  };
  return (
    <section className="registration-panel" aria-labelledby="registration-earlier-title" data-testid="registration-earlier" data-registrations={registrations.length} data-crossings={crossings.length}>
      <h3 id="registration-earlier-title">{t('registration.earlierTitle')}</h3>
      {registrations.length === 0 && crossings.length === 0 && <p>{t('registration.noEarlier')}</p>}
      {registrations.length > 0 && (
        <>
          <h4>{t('registration.earlierRegistrations', { count: registrations.length })}</h4>
          <ul className="registration-earlier">
            {registrations.map((registration, index) => (
              <li key={registration.id}>
                {t('registration.earlierRegistration', {
                  arrival: formatDate(new Date(registration.arrivalAt), locale),
                  departure: formatDay(registration.plannedDepartureDate, locale),
                  municipality: registration.municipality,
                  purpose: purposeLabel(registration.purposeCode),
                  status: registrationStatusText(registration.status, t),
                })}{' '}
                <button type="button" className="registration-link" data-testid="registration-open-earlier" onClick={() => onOpen(registration.id)}>
                  {t('registration.open')}
                  {index === 0 && <Kbd shortcut="Alt+O" />}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {crossings.length > 0 && (
        <>
          <h4>{t('registration.earlierCrossings', { count: crossings.length })}</h4>
          <ul className="registration-earlier">
            {crossings.map((crossing) => (
              <li key={crossing.id}>
                {t('registration.earlierCrossing', {
                  direction: crossing.direction === 'entry' ? t('registration.crossingEntry') : t('registration.crossingExit'),
                  time: formatMoment(crossing.occurredAt, locale),
                  point: crossing.crossingPointId,
                  outcome: crossing.outcome === 'refused' ? t('registration.crossingRefused') : t('registration.crossingAdmitted'),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
