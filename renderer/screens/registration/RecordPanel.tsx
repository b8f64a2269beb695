import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedInOfficer } from '../../../main/api/types';
import type { Locale } from '../../i18n/resources';
import { Kbd } from '../../ui/shortcuts';
import type { StationDetails } from '../screen-props';
import { DeadlinePanel, formatMoment } from './DocumentPanels';
import { RegistrationConfirmation } from './RegistrationConfirmation';
import type { CodeListEntry, RecordView } from './registration-form';

interface RecordPanelProps {
  record: RecordView;
  /** What was just written to disk, if anything: the screen says "saved" only after main answered. */
  saved: 'created' | 'amended' | 'cancelled' | null;
  cancelling: boolean;
  officer: SignedInOfficer;
  station: StationDetails | null;
  purposes: readonly CodeListEntry[];
  locale: Locale;
  cancelReason: string;
  reasonField: RefObject<HTMLTextAreaElement | null>;
  busy: boolean;
  conflict: boolean;
  onReasonChange: (reason: string) => void;
  onAmend: () => void;
  onCancel: () => void;
  onConfirmCancel: () => void;
  onBack: () => void;
  onReopen: () => void;
}

/** A saved or opened registration: what was saved, its history, amend and cancel, and the printable confirmation. */
export function RecordPanel(props: RecordPanelProps) {
  const { t } = useTranslation();
  const { record, saved, cancelling, officer, locale } = props;
  const { registration } = record;
  const who = (id: string) => (id === officer.id ? `${officer.name} (${officer.badgeNumber})` : id);
  const savedTexts = {
    created: t('registration.saved', { id: registration.id }),
    amended: t('registration.amended', { revision: registration.revisionNumber }),
    cancelled: t('registration.cancelled', { revision: registration.revisionNumber }),
  };
  const cancelled = registration.status === 'cancelled';
  return (
    <div className="registration-record">
      <div className="no-print">
        {saved && (
          <p className="registration-saved" role="status" data-testid="registration-saved" data-id={registration.id}>
            {savedTexts[saved]}
          </p>
        )}
        <div className="registration-record__top">
          <section className="registration-panel" aria-labelledby="registration-history-title" data-testid="registration-history" data-revision={registration.revisionNumber} data-status={registration.status}>
            <h3 id="registration-history-title">{t('registration.historyTitle')}</h3>
            <ul>
              <li>{t('registration.createdBy', { officer: who(registration.officerId), at: formatMoment(registration.createdAt, locale) })}</li>
              <li>{t('registration.revision', { revision: registration.revisionNumber })}</li>
              {registration.revisionNumber > 1 && <li>{t('registration.lastChange', { officer: who(registration.updatedBy), at: formatMoment(registration.updatedAt, locale) })}</li>}
            </ul>
          </section>
          <DeadlinePanel deadline={record.deadline} ifSavedNow={false} />
        </div>
        {!cancelling && (
          <div className="registration-actions">
            <button type="button" className="registration-primary" onClick={() => window.print()} data-testid="registration-print">
              {t('registration.print')} <Kbd shortcut="Alt+P" />
            </button>
            {!cancelled && (
              <>
                <button type="button" onClick={props.onAmend} data-testid="registration-amend">
                  {t('registration.amend')} <Kbd shortcut="Alt+E" />
                </button>
                <button type="button" onClick={props.onCancel} data-testid="registration-cancel">
                  {t('registration.cancel')} <Kbd shortcut="Alt+X" />
                </button>
              </>
            )}
          </div>
        )}
        {cancelling && (
          <form
            className="registration-cancel"
            data-testid="registration-cancel-form"
            onSubmit={(event) => {
              event.preventDefault();
              props.onConfirmCancel();
            }}
          >
            <label htmlFor="registration-cancel-reason">{t('registration.cancelReason')}</label>
            <textarea
              id="registration-cancel-reason"
              ref={props.reasonField}
              rows={3}
              maxLength={500}
              autoFocus
              value={props.cancelReason}
              onChange={(event) => props.onReasonChange(event.target.value)}
            />
            <div className="registration-actions">
              <button type="submit" className="registration-danger" disabled={props.busy} data-testid="registration-confirm-cancel">
                {t('registration.confirmCancel')} <Kbd shortcut="Alt+S" />
              </button>
              <button type="button" onClick={props.onBack}>
                {t('registration.back')} <Kbd shortcut="Escape" />
              </button>
              {props.conflict && (
                <button type="button" onClick={props.onReopen} data-testid="registration-reopen">
                  {t('registration.reopen')} <Kbd shortcut="Alt+O" />
                </button>
              )}
            </div>
          </form>
        )}
      </div>
      <RegistrationConfirmation registration={registration} deadline={record.deadline} officer={officer} station={props.station} purposes={props.purposes} />
    </div>
  );
}
