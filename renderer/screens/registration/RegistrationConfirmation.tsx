import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedInOfficer } from '../../../main/api/types';
import type { RegistrationDeadline } from '../../../domain/stay';
import { useLocale } from '../../i18n/init';
import type { Locale } from '../../i18n/resources';
import type { StationDetails } from '../screen-props';
import { codeListLabel } from './code-list-label';
import { DeadlineText, formatDay, formatMoment, registrationStatusText } from './DocumentPanels';
import type { CodeListEntry, Registration } from './registration-form';

/**
 * The second language of the printed confirmation. The foreigner needs a language they
 * can read and the authorities the station's: the interface's language plus English, and
 * when the interface is English, English plus Bosnian (Latin). Stations carry no language
 * of their own in the reference data, and Bosnian in Latin script is read by officers of
 * every language of the country, so it is the one an English interface pairs with.
 */
export function secondLanguageOf(locale: Locale): Locale {
  return locale === 'en' ? 'bs-Latn' : 'en';
}

/** A code list entry's label in both languages (once, when the list has no translation). */
function BothLabels({ first, second, lang }: { first: string; second: string; lang: Locale }) {
  return (
    <>
      {first}
      {second !== first && (
        <span lang={lang} className="confirmation__second">
          {second}
        </span>
      )}
    </>
  );
}

interface ConfirmationProps {
  registration: Registration;
  deadline: RegistrationDeadline;
  officer: SignedInOfficer;
  station: StationDetails | null;
  purposes: readonly CodeListEntry[];
}

/**
 * The printable registration confirmation, in two languages side by side: what the
 * foreigner (or the hotel) takes away. @media print shows it alone (registration.css).
 */
export function RegistrationConfirmation({ registration, deadline, officer, station, purposes }: ConfirmationProps) {
  const { i18n } = useTranslation();
  const first = useLocale();
  const second = secondLanguageOf(first);
  const tFirst = i18n.getFixedT(first);
  const tSecond = i18n.getFixedT(second);
  const both = (text: (t: TFunction) => string): ReactNode => (
    <>
      <span lang={first}>{text(tFirst)}</span>
      {text(tSecond) !== text(tFirst) && (
        <span lang={second} className="confirmation__second">
          {text(tSecond)}
        </span>
      )}
    </>
  );
  const row = (label: (t: TFunction) => string, value: ReactNode, testId?: string) => (
    <tr>
      <th scope="row">{both(label)}</th>
      <td data-testid={testId}>{value}</td>
    </tr>
  );
  const { person, document, address, accommodation } = registration;
  const purpose = purposes.find((entry) => entry.code === registration.purposeCode);
  const officerText = (id: string) => (id === officer.id ? `${officer.name} (${officer.badgeNumber})` : id);
  const addressText = [[address.street, address.houseNumber].filter(Boolean).join(' '), [address.postcode, address.place].filter(Boolean).join(' '), address.municipality]
    .filter((part) => part !== '')
    .join(', ');

  return (
    <article className="confirmation" aria-labelledby="confirmation-title" data-testid="registration-confirmation">
      <header className="confirmation__header">
        <h3 id="confirmation-title">{both((t) => t('registration.confirmationTitle'))}</h3>
        <p>{station?.name ?? station?.stationId ?? registration.stationId}</p>
      </header>
      <table className="confirmation__table">
        <tbody>
          {row((t) => t('registration.recordId'), <code>{registration.id}</code>, 'confirmation-id')}
          {row((t) => t('registration.statusLabel'), both((t) => `${registrationStatusText(registration.status, t)} · ${t('registration.revision', { revision: registration.revisionNumber })}`), 'confirmation-status')}
          {row((t) => t('registration.personName'), `${person.surname}, ${person.givenNames}`, 'confirmation-person')}
          {row((t) => t('registration.birthDate'), person.birthDate ? formatDay(person.birthDate, first) : '—')}
          {row((t) => t('registration.nationality'), person.nationality)}
          {row((t) => t('registration.document'), `${document.documentCode} ${document.documentNumber} (${document.issuingState})`, 'confirmation-document')}
          {row((t) => t('registration.expiryDate'), document.expiryDate ? formatDay(document.expiryDate, first) : '—')}
          {row((t) => t('registration.address'), addressText, 'confirmation-address')}
          {accommodation.type === 'commercial'
            ? row((t) => t('registration.provider'), accommodation.providerName + (accommodation.providerId ? ` (${accommodation.providerId})` : ''), 'confirmation-host')
            : row((t) => t('registration.hostName'), `${accommodation.hostName} (${accommodation.hostIdNumber})`, 'confirmation-host')}
          {row((t) => t('registration.arrival'), formatMoment(registration.arrivalAt, first))}
          {row((t) => t('registration.plannedDeparture'), formatDay(registration.plannedDepartureDate, first))}
          {row((t) => t('registration.purpose'), purpose ? <BothLabels first={codeListLabel(purpose.labels, first)} second={codeListLabel(purpose.labels, second)} lang={second} /> : registration.purposeCode)}
          {row(
            (t) => t('registration.deadlineTitle'),
            <div className="confirmation__deadline">
              <div lang={first}>
                <DeadlineText deadline={deadline} ifSavedNow={false} locale={first} t={tFirst} />
              </div>
              <div lang={second} className="confirmation__second">
                <DeadlineText deadline={deadline} ifSavedNow={false} locale={second} t={tSecond} />
              </div>
            </div>,
          )}
          {row((t) => t('registration.registeredAt'), formatMoment(registration.registeredAt, first))}
          {row((t) => t('registration.officer'), officerText(registration.officerId), 'confirmation-officer')}
          {row((t) => t('registration.station'), station?.name ? `${station.name} (${registration.stationId})` : registration.stationId)}
          {registration.cancellation &&
            row((t) => t('registration.cancelReason'), `${registration.cancellation.reason} (${formatMoment(registration.cancellation.cancelledAt, first)}, ${officerText(registration.cancellation.cancelledBy)})`, 'confirmation-cancellation')}
        </tbody>
      </table>
      <p className="confirmation__signature">{both((t) => t('registration.signature'))}</p>
    </article>
  );
}
