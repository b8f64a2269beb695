import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStationRules } from '../../app/station-rules';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { RequestInput } from '../../../main/api/types';
import { useLocale } from '../../i18n/init';
import { useRoutedScan } from '../../state/scan-store';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcuts, type Shortcut } from '../../ui/shortcuts';
import type { ScreenProps } from '../screen-props';
import { DeadlinePanel, EarlierPanel, ReadingPanel, WatchlistPanel } from './DocumentPanels';
import { RecordPanel } from './RecordPanel';
import { RegistrationFields, type FieldElements } from './RegistrationFields';
import {
  PROVIDERS_LIST,
  PURPOSES_LIST,
  changedParts,
  deadlineIfSavedNow,
  emptyFields,
  emptyForm,
  formOf,
  formRequest,
  readZone,
  withDocument,
  type FieldName,
  type FormState,
  type PreparedDocument,
  type CodeListEntry,
  type RecordView,
} from './registration-form';
import './registration.css';

/**
 * form: a new registration; record: one saved or opened (with the confirmation);
 * amend and cancel: changing that record.
 */
type View =
  | { kind: 'form' }
  | { kind: 'record'; record: RecordView; saved: 'created' | 'amended' | 'cancelled' | null }
  | { kind: 'amend'; record: RecordView }
  | { kind: 'cancel'; record: RecordView };

/** A path main named in a refusal ('address.place', 'accommodation.hostName') as the form field that shows it. */
function fieldOfIssue(path: string): FieldName | null {
  if (path === 'arrivalAt') return 'arrival';
  if (path.startsWith('accommodation.provider')) return 'providerCode';
  const last = path.split('.').pop() ?? '';
  const known: readonly string[] = Object.keys(emptyForm(0, null));
  return known.includes(last) ? (last as FieldName) : null;
}

/**
 * Counter registration of a short stay (issue 9): the scan fills the form, the officer
 * adds the stay and saves; the saved record shows its printable confirmation and can be
 * amended or cancelled. Everything is reachable from the keyboard: the focus lands on the
 * first empty field, Enter moves to the next empty one and saves when none is left.
 */
export function RegistrationScreen({ bridge, officer, station }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const municipality = station?.municipality ?? null;
  const [view, setView] = useState<View>({ kind: 'form' });
  const [form, setFormState] = useState<FormState>(() => emptyForm(Date.now(), municipality));
  /** The form as the last change left it, before React renders it: Enter right after a key must see that key. */
  const latestForm = useRef(form);
  const setForm = (next: FormState) => {
    latestForm.current = next;
    setFormState(next);
  };
  const changeForm = (change: (current: FormState) => FormState) => setForm(change(latestForm.current));
  const [prepared, setPrepared] = useState<PreparedDocument | null>(null);
  const [typedMrz, setTypedMrz] = useState('');
  const [cancelReason, setCancelReason] = useState('');
  const [busy, setBusy] = useState<'reading' | 'saving' | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [invalid, setInvalid] = useState<ReadonlySet<FieldName>>(new Set());
  const [providers, setProviders] = useState<CodeListEntry[]>([]);
  const [purposes, setPurposes] = useState<CodeListEntry[]>([]);
  /** The station's rules, for the deadline shown while typing (the defaults until they arrive). */
  const rules = useStationRules(bridge);
  const [focusRequest, setFocusRequest] = useState(0);
  const elements = useRef<FieldElements>({}).current;
  const mrzField = useRef<HTMLTextAreaElement>(null);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  /** Counts document reads, so that the answer for an earlier scan never overwrites a later one. */
  const readSequence = useRef(0);

  useEffect(() => {
    let current = true;
    void bridge.request('reference.codeLists', { lists: [PROVIDERS_LIST, PURPOSES_LIST] }).then((result) => {
      if (!current) return;
      if (!result.ok) return setError(result.error);
      setProviders(result.value.entries.filter((entry) => entry.list === PROVIDERS_LIST));
      setPurposes(result.value.entries.filter((entry) => entry.list === PURPOSES_LIST));
    });
    return () => {
      current = false;
    };
  }, [bridge]);

  // The station's municipality arrives after the first render: the place of stay starts from it.
  useEffect(() => {
    if (!municipality) return;
    const current = latestForm.current;
    if (current.municipality === '' && current.place === '') setForm({ ...current, place: municipality, municipality });
  }, [municipality]);

  // After a read or a refused save, the focus goes to the first field still to fill.
  useEffect(() => {
    if (focusRequest === 0) return;
    const first = emptyFields(latestForm.current)[0];
    if (first) elements[first]?.focus();
    // Only a new request moves the focus (form is read as it is then), never the officer's typing.
  }, [focusRequest, elements]);

  const startOver = () => {
    readSequence.current += 1;
    setView({ kind: 'form' });
    setForm(emptyForm(Date.now(), municipality));
    setPrepared(null);
    setTypedMrz('');
    setError(null);
    setNotice(null);
    setConflict(false);
    setInvalid(new Set());
    setFocusRequest((count) => count + 1);
  };

  /**
   * Reads a document through main (registrations.prepare: the reading, earlier records,
   * watchlist) and fills the form with it. A zone is also read here first, with the same
   * pure engine (domain/mrz), so that the form shows the document without waiting for
   * main's lookups (the scan-to-form bench: the lookups and their audit write are most of
   * the wait); main's answer then fills the checks beside it.
   */
  const read = async (input: RequestInput<'registrations.prepare'>) => {
    const sequence = ++readSequence.current;
    setBusy('reading');
    setError(null);
    setNotice(null);
    setPrepared(null);
    // A document read while a saved record is on screen starts a new registration;
    // while filling one, the stay details already typed stay (a family at one hotel).
    if (view.kind !== 'form') {
      setView({ kind: 'form' });
      setForm(emptyForm(Date.now(), municipality));
    }
    const zone = 'mrz' in input ? readZone(input.mrz, Date.now()) : null;
    if (zone) {
      setForm(withDocument(latestForm.current, zone));
      setInvalid(new Set());
      setFocusRequest((count) => count + 1);
    }
    const result = await bridge.request('registrations.prepare', input);
    if (sequence !== readSequence.current) return;
    setBusy(null);
    if (!result.ok) return setError(result.error);
    setPrepared(result.value);
    setForm(withDocument(latestForm.current, result.value));
    if (!zone) {
      setInvalid(new Set());
      setFocusRequest((count) => count + 1);
    }
  };

  useRoutedScan('registration', (reading) => void read({ mrz: reading.text }));

  const readTypedMrz = () => {
    if (typedMrz.trim() !== '') void read({ mrz: typedMrz.trim() });
  };
  const lookUpTyped = () => {
    const request = formRequest(latestForm.current);
    void read({ person: request.person, document: request.document });
  };

  const refused = (refusal: ApiErrorValue) => {
    setError(refusal);
    setConflict(refusal.code === 'CONFLICT');
    const fields = new Set((refusal.issues ?? []).map((issue) => fieldOfIssue(issue.path)).filter((field): field is FieldName => field !== null));
    setInvalid(fields);
    const first = [...fields][0];
    if (first) elements[first]?.focus();
  };

  const save = async () => {
    if (busy) return;
    const form = latestForm.current;
    const missing = emptyFields(form);
    if (missing.length > 0) {
      setNotice(t('registration.fillIn'));
      setInvalid(new Set(missing));
      elements[missing[0]!]?.focus();
      return;
    }
    setBusy('saving');
    setError(null);
    setNotice(null);
    const request = formRequest(form);
    if (view.kind === 'amend') {
      const changes = changedParts(formRequest(formOf(view.record.registration)), request);
      if (Object.keys(changes).length === 0) {
        setBusy(null);
        return setNotice(t('registration.noChanges'));
      }
      const result = await bridge.request('registrations.amend', { id: view.record.registration.id, expectedRevisionNumber: view.record.registration.revisionNumber, changes });
      setBusy(null);
      if (!result.ok) return refused(result.error);
      setView({ kind: 'record', record: result.value, saved: 'amended' });
      return;
    }
    const result = await bridge.request('registrations.create', request);
    setBusy(null);
    if (!result.ok) return refused(result.error);
    setInvalid(new Set());
    setView({ kind: 'record', record: result.value, saved: 'created' });
  };

  const confirmCancel = async () => {
    if (busy || view.kind !== 'cancel') return;
    if (cancelReason.trim() === '') {
      setNotice(t('registration.reasonRequired'));
      reasonField.current?.focus();
      return;
    }
    setBusy('saving');
    setError(null);
    setNotice(null);
    const result = await bridge.request('registrations.cancel', { id: view.record.registration.id, expectedRevisionNumber: view.record.registration.revisionNumber, reason: cancelReason.trim() });
    setBusy(null);
    if (!result.ok) return refused(result.error);
    setCancelReason('');
    setView({ kind: 'record', record: result.value, saved: 'cancelled' });
  };

  /** Opens a registration from main (registrations.get, audited), as it is stored now. */
  const open = async (id: string) => {
    setError(null);
    setNotice(null);
    setConflict(false);
    const result = await bridge.request('registrations.get', { id });
    if (!result.ok) return setError(result.error);
    setView({ kind: 'record', record: result.value, saved: null });
  };

  const amend = (record: RecordView) => {
    setError(null);
    setNotice(null);
    setConflict(false);
    setInvalid(new Set());
    setForm(formOf(record.registration));
    setView({ kind: 'amend', record });
  };
  const cancel = (record: RecordView) => {
    setError(null);
    setNotice(null);
    setConflict(false);
    setView({ kind: 'cancel', record });
  };

  const shortcuts: [Shortcut, () => void][] = [
    ['Alt+N', startOver],
    ['Alt+M', () => mrzField.current?.focus()],
  ];
  if (view.kind === 'form' || view.kind === 'amend') shortcuts.push(['Alt+S', () => void save()]);
  if (view.kind === 'form') {
    shortcuts.push(['Alt+R', readTypedMrz], ['Alt+L', lookUpTyped]);
    const firstEarlier = prepared?.earlier.registrations[0];
    if (firstEarlier) shortcuts.push(['Alt+O', () => void open(firstEarlier.id)]);
  }
  if (view.kind === 'record') {
    const { record } = view;
    shortcuts.push(['Alt+P', () => window.print()]);
    if (record.registration.status !== 'cancelled') shortcuts.push(['Alt+E', () => amend(record)], ['Alt+X', () => cancel(record)]);
  }
  if (view.kind === 'amend' || view.kind === 'cancel') {
    const { record } = view;
    shortcuts.push(['Escape', () => setView({ kind: 'record', record, saved: null })]);
    if (conflict) shortcuts.push(['Alt+O', () => void open(record.registration.id)]);
  }
  if (view.kind === 'cancel') shortcuts.push(['Alt+S', () => void confirmCancel()]);
  useShortcuts(shortcuts);

  /** Enter moves on to the next field still empty, and saves once none is left. */
  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.shiftKey) return;
    const target = event.target as HTMLElement;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') return;
    event.preventDefault();
    const missing = emptyFields(latestForm.current);
    const next = missing.find((field) => elements[field] !== target) ?? missing[0];
    if (next) elements[next]?.focus();
    else void save();
  };

  const deadline = useMemo(() => (view.kind === 'form' || view.kind === 'amend' ? deadlineIfSavedNow(form, Date.now(), rules) : null), [form, view.kind, rules]);
  const editing = view.kind === 'form' || view.kind === 'amend';

  return (
    <section className="screen registration-screen" aria-labelledby="screen-title" data-testid="screen-registration" data-view={view.kind}>
      <div className="no-print registration-heading">
        <h2 id="screen-title">{view.kind === 'amend' ? t('registration.amendTitle') : view.kind === 'cancel' ? t('registration.cancelTitle') : t('registration.title')}</h2>
        <button type="button" onClick={startOver} data-testid="registration-new">
          {t('registration.newRegistration')} <Kbd shortcut="Alt+N" />
        </button>
      </div>
      <div className="no-print">
        <ErrorBanner error={error} testId="registration-error" />
        {conflict && (
          <p className="banner banner--error" data-testid="registration-conflict">
            {t('registration.conflict')}
          </p>
        )}
        {notice && (
          <p className="registration-notice" role="status" data-testid="registration-notice">
            {notice}
          </p>
        )}
      </div>

      {editing && (
        <div className="registration-layout no-print">
          <form
            className="registration-form"
            aria-labelledby="screen-title"
            data-testid="registration-form"
            data-document-number={form.documentNumber}
            noValidate
            onKeyDown={onFormKeyDown}
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            {view.kind === 'form' && (
              <div className="registration-scan">
                <p className="registration-hint" data-testid="registration-scan-hint">
                  {busy === 'reading' ? t('registration.reading') : t('registration.scanHint')}
                </p>
                <label htmlFor="registration-mrz">
                  {t('registration.mrzLabel')} <Kbd shortcut="Alt+M" />
                </label>
                <textarea id="registration-mrz" ref={mrzField} rows={3} spellCheck={false} autoComplete="off" value={typedMrz} onChange={(event) => setTypedMrz(event.target.value)} />
                <div className="registration-actions">
                  <button type="button" onClick={readTypedMrz} data-testid="registration-read-mrz">
                    {t('registration.readMrz')} <Kbd shortcut="Alt+R" />
                  </button>
                  <button type="button" onClick={lookUpTyped} data-testid="registration-look-up">
                    {t('registration.lookUpTyped')} <Kbd shortcut="Alt+L" />
                  </button>
                </div>
              </div>
            )}
            <RegistrationFields form={form} onChange={changeForm} providers={providers} purposes={purposes} elements={elements} invalid={invalid} />
            <div className="registration-actions">
              <button type="submit" className="registration-primary" data-testid="registration-save" disabled={busy === 'saving'}>
                {busy === 'saving' ? t('registration.saving') : view.kind === 'amend' ? t('registration.saveAmendment') : t('registration.save')} <Kbd shortcut="Alt+S" />
              </button>
              {view.kind === 'amend' && (
                <button type="button" onClick={() => setView({ kind: 'record', record: view.record, saved: null })}>
                  {t('registration.back')} <Kbd shortcut="Escape" />
                </button>
              )}
              {conflict && view.kind === 'amend' && (
                <button type="button" onClick={() => void open(view.record.registration.id)} data-testid="registration-reopen">
                  {t('registration.reopen')} <Kbd shortcut="Alt+O" />
                </button>
              )}
            </div>
            <p className="registration-hint">{t('registration.enterHint')}</p>
          </form>
          <aside className="registration-side" aria-label={t('registration.sideLabel')}>
            {prepared && view.kind === 'form' && <ReadingPanel prepared={prepared} />}
            <DeadlinePanel deadline={deadline} ifSavedNow />
            {view.kind === 'form' && <WatchlistPanel prepared={prepared} checking={busy === 'reading'} />}
            {view.kind === 'form' && <EarlierPanel prepared={prepared} purposes={purposes} onOpen={(id) => void open(id)} />}
          </aside>
        </div>
      )}

      {(view.kind === 'record' || view.kind === 'cancel') && (
        <RecordPanel
          record={view.record}
          saved={view.kind === 'record' ? view.saved : null}
          cancelling={view.kind === 'cancel'}
          officer={officer}
          station={station}
          purposes={purposes}
          locale={locale}
          cancelReason={cancelReason}
          reasonField={reasonField}
          busy={busy === 'saving'}
          conflict={conflict}
          onReasonChange={setCancelReason}
          onAmend={() => amend(view.record)}
          onCancel={() => cancel(view.record)}
          onConfirmCancel={() => void confirmCancel()}
          onBack={() => setView({ kind: 'record', record: view.record, saved: null })}
          onReopen={() => void open(view.record.registration.id)}
        />
      )}
    </section>
  );
}
