import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { MisBridge, RequestOutput } from '../../../main/api/types';
import { formatDate, formatTime } from '../../i18n/format';
import { useLocale } from '../../i18n/init';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd } from '../../ui/shortcuts';
import type { SearchRow } from './search-results';

type Opened = { kind: 'registration'; view: RequestOutput<'registrations.get'> } | { kind: 'crossing'; view: RequestOutput<'crossings.get'> };

interface RecordPanelProps {
  bridge: MisBridge;
  /** The row opened; the panel asks main for the whole record (an audited view). */
  row: SearchRow;
  onClose(): void;
}

function Detail({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
}

/**
 * The record opened from the results, in a modal dialog: the browser keeps the focus
 * inside it and Escape closes it, after which the table has the focus again.
 */
export function RecordPanel({ bridge, row, onClose }: RecordPanelProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  useEffect(() => {
    let current = true;
    const open = async () => {
      if (row.kind === 'registration') {
        const result = await bridge.request('registrations.get', { id: row.id });
        if (!current) return;
        if (result.ok) setOpened({ kind: 'registration', view: result.value });
        else setError(result.error);
      } else {
        const result = await bridge.request('crossings.get', { id: row.id });
        if (!current) return;
        if (result.ok) setOpened({ kind: 'crossing', view: result.value });
        else setError(result.error);
      }
    };
    void open();
    return () => {
      current = false;
    };
  }, [bridge, row]);

  const when = (ms: number) => `${formatDate(new Date(ms), locale)} ${formatTime(new Date(ms), locale)}`;
  const person = opened ? (opened.kind === 'registration' ? opened.view.registration.person : opened.view.crossing.person) : null;
  const document = opened ? (opened.kind === 'registration' ? opened.view.registration.document : opened.view.crossing.document) : null;

  return (
    <dialog ref={dialog} className="record" aria-labelledby="record-title" onClose={onClose} data-testid="search-record">
      <h3 id="record-title">{row.kind === 'registration' ? t('search.recordRegistration') : t('search.recordCrossing')}</h3>
      <ErrorBanner error={error} testId="search-record-error" />
      {!opened && !error && <p aria-live="polite">{t('search.openingRecord')}</p>}
      {person && document && opened && (
        <dl className="record__details">
          <Detail label={t('search.name')} value={`${person.surname}, ${person.givenNames}`} testId="record-name" />
          <Detail label={t('search.birthDate')} value={person.birthDate} />
          <Detail label={t('search.nationality')} value={person.nationality} />
          <Detail label={t('search.document')} value={`${document.documentCode} ${document.documentNumber} (${document.issuingState})`} testId="record-document" />
          {opened.kind === 'registration' && (
            <>
              <Detail label={t('search.arrival')} value={when(opened.view.registration.arrivalAt)} />
              <Detail label={t('search.plannedDeparture')} value={opened.view.registration.plannedDepartureDate} />
              <Detail label={t('search.registeredAt')} value={when(opened.view.registration.registeredAt)} />
              <Detail
                label={t('search.address')}
                value={`${opened.view.registration.address.street} ${opened.view.registration.address.houseNumber}, ${opened.view.registration.address.place} (${opened.view.registration.address.municipality})`}
              />
              <Detail
                label={t('search.accommodation')}
                value={opened.view.registration.accommodation.type === 'commercial' ? t('search.accommodationCommercial') : t('search.accommodationPrivate')}
              />
              <Detail label={t('search.purpose')} value={opened.view.registration.purposeCode} />
              <Detail label={t('search.status')} value={row.status === 'cancelled' ? t('search.statusCancelled') : row.status === 'amended' ? t('search.statusAmended') : t('search.statusActive')} />
              <Detail label={t('search.recordedBy')} value={opened.view.history.createdBy} />
            </>
          )}
          {opened.kind === 'crossing' && (
            <>
              <Detail label={t('search.occurredAt')} value={when(opened.view.crossing.occurredAt)} />
              <Detail label={t('search.direction')} value={opened.view.crossing.direction === 'entry' ? t('search.directionEntry') : t('search.directionExit')} />
              <Detail label={t('search.decision')} value={opened.view.crossing.decision.outcome === 'admitted' ? t('search.statusAdmitted') : t('search.statusRefused')} />
              {opened.view.crossing.decision.outcome === 'refused' && <Detail label={t('search.reasons')} value={opened.view.crossing.decision.reasons.join(', ')} />}
              <Detail label={t('search.crossingPoint')} value={opened.view.crossing.crossingPointId} />
              <Detail
                label={t('search.status')}
                value={
                  opened.view.crossing.checks.some((check) => check.outcome === 'failed')
                    ? t('search.checksFailed', { count: opened.view.crossing.checks.filter((check) => check.outcome === 'failed').length })
                    : t('search.checksPassed')
                }
              />
              {opened.view.correctedBy.length > 0 && <Detail label={t('search.correctedBy')} value={opened.view.correctedBy.join(', ')} />}
              <Detail label={t('search.recordedBy')} value={opened.view.crossing.officerId} />
            </>
          )}
        </dl>
      )}
      <p className="record__note">{t('search.accessNote')}</p>
      <form method="dialog">
        <button type="submit" data-testid="search-record-close">
          {t('search.close')} <Kbd shortcut="Escape" />
        </button>
      </form>
    </dialog>
  );
}
