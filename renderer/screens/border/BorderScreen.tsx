import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { RequestInput } from '../../../main/api/types';
import { useStationRules } from '../../app/station-rules';
import { formatCalendarDay, formatDate, formatTime } from '../../i18n/format';
import { useLocale } from '../../i18n/init';
import { useRoutedScan } from '../../state/scan-store';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcuts, type Shortcut } from '../../ui/shortcuts';
import type { ScreenProps } from '../screen-props';
import { sexLabel, type CrossingView, type Prepared, type ReasonCode, type Recorded } from './border-texts';
import { CheckList, EarlierPanel, StayPanel } from './CheckList';
import { ReasonCheckboxes } from './DecisionPanel';
import { TypedDocumentFields, emptyTypedDocument, typedSource, type TypedDocumentForm } from './TypedDocument';
import { VisaFields, dateTextProps, emptyVisa, visaInput, type VisaForm } from './VisaFields';
import { FingerprintPanel, fingerprintsComplete, fingersOf, type FingerprintState } from './FingerprintPanel';
import { RefusalForm } from './RefusalForm';
import './border.css';

type Direction = 'entry' | 'exit';

type CorrectionReason = 'wrong-decision' | 'wrong-refusal-reasons' | 'wrong-direction';

interface Correction {
  reason: CorrectionReason;
  direction: Direction;
  outcome: 'admitted' | 'refused';
  reasons: Set<ReasonCode>;
}

interface Saved {
  crossing: CrossingView;
  biometrics: Recorded['biometrics'];
  kind: 'created' | 'correction';
}

function emptyFingers(scannerId = ''): FingerprintState {
  return { hand: 'right', scannerId, captures: {}, capturing: null, exemption: null };
}

/**
 * Border control (issue 9): a scanned or typed document runs every entry or exit check
 * in main; the officer takes the fingerprints, admits or refuses with the reasons of the
 * standard form, and prints the refusal form. "Saved" is said only once main answered
 * that the record is on disk. A recorded crossing is corrected by a new record that
 * names it.
 */
export function BorderScreen({ bridge, officer, station }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  /** The station's rules, for the short-stay panel's title (the defaults until main answers). */
  const rules = useStationRules(bridge);
  const [direction, setDirection] = useState<Direction>('entry');
  const [mrz, setMrz] = useState('');
  /** The typed data page, when the officer types it instead of the zone (a document without one). */
  const [typed, setTyped] = useState<TypedDocumentForm | null>(null);
  const [plannedDeparture, setPlannedDeparture] = useState('');
  const [visa, setVisa] = useState<VisaForm>(emptyVisa);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [reasons, setReasons] = useState<Set<ReasonCode>>(new Set());
  const [fingers, setFingers] = useState<FingerprintState>(emptyFingers());
  const [scanners, setScanners] = useState<{ id: string; label: string }[]>([]);
  const [busy, setBusy] = useState<'checking' | 'saving' | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [correction, setCorrection] = useState<Correction | null>(null);
  const mrzField = useRef<HTMLTextAreaElement | null>(null);
  const zoneFieldWanted = useRef(false);
  /**
   * The zone field's ref. When the focus is asked for while the field is not there (the
   * typed page or a saved record shows instead), the field takes it in the commit that
   * brings it back, so that keys typed or scanned at once are not lost.
   */
  const zoneField = useCallback((element: HTMLTextAreaElement | null) => {
    mrzField.current = element;
    if (element && zoneFieldWanted.current) {
      zoneFieldWanted.current = false;
      element.focus();
    }
  }, []);
  const focusZoneField = () => {
    if (mrzField.current) mrzField.current.focus();
    else zoneFieldWanted.current = true;
  };
  /** Where the focus waits after an entry's checks: a text field (dateTextProps), since a reader may fire there. */
  const departureField = useRef<HTMLInputElement>(null);
  /** Counts check runs, so that the answer to an earlier one never overwrites a later one. */
  const runSequence = useRef(0);

  const formatWhen = (at: number) => `${formatDate(new Date(at), locale)} ${formatTime(new Date(at), locale)}`;

  useEffect(
    () =>
      bridge.subscribe(
        'devices.statusChanges',
        {},
        (status) => {
          const ready = status.devices.filter((device) => device.kind === 'fingerprint-scanner' && device.state === 'ready').map((device) => ({ id: device.id, label: device.label }));
          setScanners(ready);
          setFingers((current) => (ready.some((scanner) => scanner.id === current.scannerId) ? current : { ...current, scannerId: ready[0]?.id ?? '' }));
        },
        () => undefined,
      ),
    [bridge],
  );

  const startOver = (keepDirection: Direction = direction) => {
    runSequence.current += 1;
    setDirection(keepDirection);
    setMrz('');
    setTyped(null);
    setPlannedDeparture('');
    setVisa(emptyVisa);
    setPrepared(null);
    setReasons(new Set());
    setFingers((current) => emptyFingers(current.scannerId));
    setBusy(null);
    setError(null);
    setProblem(null);
    setSaved(null);
    setCorrection(null);
    focusZoneField();
  };

  /** Runs the checks in main (crossings.prepare) for the document and what the officer filled in. */
  /** The document as main takes it: the zone, or the typed data page. */
  const sourceOf = (text: string): RequestInput<'crossings.prepare'>['source'] => (typed && text === '' ? typedSource(typed) : { mrz: text });

  const runChecks = async (options: { mrz?: string; direction?: Direction; fresh?: boolean } = {}) => {
    const text = (options.mrz ?? (typed ? '' : mrz)).trim();
    const way = options.direction ?? direction;
    if (text === '' && !typed) {
      mrzField.current?.focus();
      return;
    }
    const sequence = ++runSequence.current;
    setBusy('checking');
    setError(null);
    setProblem(null);
    const result = await bridge.request('crossings.prepare', {
      direction: way,
      source: sourceOf(text),
      ...(way === 'entry' && plannedDeparture && !options.fresh ? { plannedDepartureDate: plannedDeparture } : {}),
      ...(way === 'entry' && !options.fresh ? { visa: visaInput(visa) } : {}),
    });
    if (sequence !== runSequence.current) return;
    setBusy(null);
    if (!result.ok) {
      setPrepared(null);
      return setError(result.error);
    }
    const sameDocument = prepared !== null && prepared.document.documentNumber === result.value.document.documentNumber && prepared.document.issuingState === result.value.document.issuingState;
    setPrepared(result.value);
    setReasons(new Set(result.value.suggestedRefusalReasons));
    // Another traveller's document: nothing of the last one's fingers may stay.
    if (!sameDocument) setFingers((current) => emptyFingers(current.scannerId));
    if (way === 'entry' && !sameDocument) departureField.current?.focus();
  };

  useRoutedScan('border', (reading) => {
    if (saved) startOver();
    setTyped(null);
    setMrz(reading.text);
    if (saved) {
      setPlannedDeparture('');
      setVisa(emptyVisa);
    }
    void runChecks({ mrz: reading.text, fresh: saved !== null });
  });

  const typeDataPage = () => {
    if (saved) return;
    setTyped(emptyTypedDocument);
    setMrz('');
    setPrepared(null);
  };

  const backToZone = () => {
    setTyped(null);
    setPrepared(null);
    focusZoneField();
  };

  const chooseDirection = (next: Direction) => {
    if (saved || next === direction) return;
    setDirection(next);
    if (prepared) void runChecks({ direction: next });
  };

  const capture = async (position: number) => {
    if (!fingers.scannerId || fingers.capturing !== null) return;
    setFingers((current) => ({ ...current, capturing: position }));
    setError(null);
    const result = await bridge.request('crossings.captureFinger', { deviceId: fingers.scannerId, fingerPosition: position, timeoutMs: 20_000 });
    setFingers((current) => ({ ...current, capturing: null, captures: result.ok ? { ...current.captures, [position]: result.value } : current.captures }));
    if (!result.ok) return setError(result.error);
    setProblem(null);
  };

  const captureNext = () => {
    const next = fingersOf(fingers.hand).find((position) => !fingers.captures[position]?.usable);
    if (next !== undefined) void capture(next);
  };

  const fingerprintsInput = (): RequestInput<'crossings.record'>['fingerprints'] | 'missing' => {
    if (!prepared) return undefined;
    if (prepared.fingerprints === 'exempt-under-12') return { kind: 'exempt', reason: 'UNDER_AGE' };
    if (prepared.fingerprints === 'not-required') return undefined;
    if (!fingerprintsComplete(fingers)) return 'missing';
    if (fingers.exemption) return { kind: 'exempt', reason: fingers.exemption };
    return { kind: 'captured', captures: fingersOf(fingers.hand).map((position) => ({ captureId: fingers.captures[position]!.captureId })) };
  };

  const record = async (outcome: 'admitted' | 'refused') => {
    if (!prepared || busy || saved) return;
    if (outcome === 'refused' && direction === 'exit') return setProblem(t('border.refuseExit'));
    if (outcome === 'refused' && reasons.size === 0) return setProblem(t('border.needReason'));
    const fingerprints = fingerprintsInput();
    if (fingerprints === 'missing') return setProblem(t('border.fingersMissing'));
    setBusy('saving');
    setError(null);
    setProblem(null);
    const result = await bridge.request('crossings.record', {
      direction,
      source: sourceOf(typed ? '' : mrz.trim()),
      ...(direction === 'entry' && plannedDeparture ? { plannedDepartureDate: plannedDeparture } : {}),
      ...(direction === 'entry' ? { visa: visaInput(visa) } : {}),
      decision: outcome === 'refused' ? { outcome, reasons: [...reasons].sort() } : { outcome },
      ...(fingerprints ? { fingerprints } : {}),
    });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    setSaved({ crossing: result.value.crossing, biometrics: result.value.biometrics, kind: 'created' });
  };

  const startCorrection = () => {
    if (!saved) return;
    const { crossing } = saved;
    setCorrection({
      reason: 'wrong-decision',
      direction: crossing.direction,
      outcome: crossing.decision.outcome,
      reasons: new Set(crossing.decision.outcome === 'refused' ? (crossing.decision.reasons as ReasonCode[]) : []),
    });
    setProblem(null);
  };

  const saveCorrection = async () => {
    if (!saved || !correction || busy) return;
    const original = saved.crossing;
    const originalReasons = original.decision.outcome === 'refused' ? [...original.decision.reasons].sort().join(',') : '';
    const newReasons = [...correction.reasons].sort();
    if (correction.outcome === 'refused' && newReasons.length === 0) return setProblem(t('border.needReason'));
    if (correction.outcome === 'refused' && correction.direction === 'exit') return setProblem(t('border.refuseExit'));
    const decisionChanged = correction.outcome !== original.decision.outcome || (correction.outcome === 'refused' && newReasons.join(',') !== originalReasons);
    const changes: RequestInput<'crossings.correct'>['changes'] = {
      ...(correction.direction !== original.direction ? { direction: correction.direction } : {}),
      ...(decisionChanged ? { decision: correction.outcome === 'refused' ? { outcome: 'refused' as const, reasons: newReasons } : { outcome: 'admitted' as const } } : {}),
    };
    if (Object.keys(changes).length === 0) return setProblem(t('border.noChange'));
    setBusy('saving');
    setError(null);
    setProblem(null);
    const result = await bridge.request('crossings.correct', { id: original.id, reason: correction.reason, changes });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    setSaved({ crossing: result.value.crossing, biometrics: result.value.biometrics, kind: 'correction' });
    setCorrection(null);
  };

  const refusedRecord = saved?.crossing.decision.outcome === 'refused';
  const shortcuts: [Shortcut, () => void][] = [
    ['Alt+N', () => startOver()],
    ['Alt+M', () => mrzField.current?.focus()],
  ];
  if (!saved) {
    shortcuts.push(['Alt+E', () => chooseDirection('entry')], ['Alt+X', () => chooseDirection('exit')], ['Alt+R', () => void runChecks()], ['Alt+T', () => (typed ? backToZone() : typeDataPage())]);
    if (prepared) {
      shortcuts.push(['Alt+A', () => void record('admitted')], ['Alt+F', captureNext]);
      if (direction === 'entry') shortcuts.push(['Alt+D', () => void record('refused')]);
    }
  } else if (correction) {
    shortcuts.push(['Alt+S', () => void saveCorrection()]);
  } else {
    shortcuts.push(['Alt+C', startCorrection]);
    if (refusedRecord) shortcuts.push(['Alt+P', () => window.print()]);
  }
  useShortcuts(shortcuts);

  const crossingPoint = prepared?.crossingPoint ?? { name: station?.name ?? null, code: station?.crossingPointCode ?? null };
  const savedMessage = saved ? (saved.kind === 'correction' ? t('border.savedCorrection') : saved.crossing.decision.outcome === 'refused' ? t('border.savedRefused') : t('border.savedAdmitted')) : '';
  const capturedCount = saved?.biometrics.filter((biometric) => biometric.outcome === 'captured').length ?? 0;

  return (
    <section className="screen border-screen" aria-labelledby="screen-title" data-testid="screen-border" data-direction={direction}>
      <div className="border-heading no-print">
        <h2 id="screen-title">{t('border.title')}</h2>
        <div className="border-direction" role="group" aria-label={t('border.direction')}>
          <button type="button" aria-pressed={direction === 'entry'} onClick={() => chooseDirection('entry')} disabled={saved !== null} data-testid="border-direction-entry">
            {t('border.entry')} <Kbd shortcut="Alt+E" />
          </button>
          <button type="button" aria-pressed={direction === 'exit'} onClick={() => chooseDirection('exit')} disabled={saved !== null} data-testid="border-direction-exit">
            {t('border.exit')} <Kbd shortcut="Alt+X" />
          </button>
        </div>
        <button type="button" onClick={() => startOver()} data-testid="border-next">
          {t('border.nextTraveller')} <Kbd shortcut="Alt+N" />
        </button>
      </div>

      <ErrorBanner error={error} testId="border-error" />
      {problem && (
        <div className="banner banner--error no-print" role="alert" data-testid="border-problem">
          <p>{problem}</p>
        </div>
      )}

      {saved && (
        <section className="border-panel border-saved no-print" aria-labelledby="border-saved-title" data-testid="border-saved" data-crossing-id={saved.crossing.id}>
          <h3 id="border-saved-title">{t('border.recordTitle')}</h3>
          <p role="status" className="border-saved__message" data-testid="border-saved-message">
            {savedMessage}
          </p>
          <p>
            {t('border.recordNumber')}: <code>{saved.crossing.id}</code>
            {saved.crossing.correctsId && (
              <>
                {' — '}
                <span data-testid="border-corrects">{t('border.correctsRecord', { id: saved.crossing.correctsId })}</span>
              </>
            )}
          </p>
          {capturedCount > 0 && <p>{t('border.fingerprintsStored', { count: capturedCount })}</p>}
          {saved.biometrics.some((biometric) => biometric.outcome === 'exempt') && <p>{t('border.exemptionStored')}</p>}
          {!correction && (
            <div className="border-row">
              {refusedRecord && (
                <button type="button" className="border-primary" onClick={() => window.print()} data-testid="border-print">
                  {t('border.print')} <Kbd shortcut="Alt+P" />
                </button>
              )}
              <button type="button" onClick={startCorrection} data-testid="border-correct">
                {t('border.correct')} <Kbd shortcut="Alt+C" />
              </button>
            </div>
          )}
          {correction && (
            <form
              className="border-correction"
              data-testid="border-correction"
              onSubmit={(event) => {
                event.preventDefault();
                void saveCorrection();
              }}
            >
              <h4>{t('border.correctionTitle')}</h4>
              <p className="border-note">{t('border.correctionHint')}</p>
              <label>
                {t('border.correctionReason')}
                <select value={correction.reason} onChange={(event) => setCorrection({ ...correction, reason: event.target.value as CorrectionReason })} data-testid="border-correction-reason">
                  <option value="wrong-decision">{t('border.reasonWrongDecision')}</option>
                  <option value="wrong-refusal-reasons">{t('border.reasonWrongRefusalReasons')}</option>
                  <option value="wrong-direction">{t('border.reasonWrongDirection')}</option>
                </select>
              </label>
              <label>
                {t('border.newDirection')}
                <select value={correction.direction} onChange={(event) => setCorrection({ ...correction, direction: event.target.value as Direction })} data-testid="border-correction-direction">
                  <option value="entry">{t('border.entry')}</option>
                  <option value="exit">{t('border.exit')}</option>
                </select>
              </label>
              <label>
                {t('border.newDecision')}
                <select value={correction.outcome} onChange={(event) => setCorrection({ ...correction, outcome: event.target.value as Correction['outcome'] })} data-testid="border-correction-outcome">
                  <option value="admitted">{t('border.admit')}</option>
                  <option value="refused">{t('border.refuse')}</option>
                </select>
              </label>
              {correction.outcome === 'refused' && <ReasonCheckboxes reasons={correction.reasons} suggested={[]} onChange={(next) => setCorrection({ ...correction, reasons: next })} idPrefix="border-correction" />}
              <div className="border-row">
                <button type="submit" className="border-primary" disabled={busy !== null} data-testid="border-save-correction">
                  {busy === 'saving' ? t('border.saving') : t('border.saveCorrection')} <Kbd shortcut="Alt+S" />
                </button>
                <button type="button" onClick={() => setCorrection(null)}>
                  {t('border.cancelCorrection')}
                </button>
              </div>
            </form>
          )}
        </section>
      )}

      {saved && refusedRecord && !correction && <RefusalForm crossing={saved.crossing} officer={officer} crossingPoint={crossingPoint} formatWhen={formatWhen} />}

      <div className="border-layout no-print">
        <div className="border-main">
          {!saved && (
            <form
              className="border-panel border-scan"
              onSubmit={(event) => {
                event.preventDefault();
                void runChecks();
              }}
            >
              <p className="border-note">{t('border.scanHint')}</p>
              {typed ? (
                <TypedDocumentFields form={typed} onChange={setTyped} />
              ) : (
                <>
                  <label htmlFor="border-mrz">
                    {t('border.mrzLabel')} <Kbd shortcut="Alt+M" />
                  </label>
                  <textarea
                    id="border-mrz"
                    ref={zoneField}
                    rows={3}
                    spellCheck={false}
                    autoCapitalize="characters"
                    value={mrz}
                    onChange={(event) => setMrz(event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' && event.ctrlKey) {
                        event.preventDefault();
                        void runChecks();
                      }
                    }}
                    data-testid="border-mrz"
                  />
                </>
              )}
              <div className="border-row">
                <button type="button" onClick={() => (typed ? backToZone() : typeDataPage())} data-testid="border-type-toggle">
                  {typed ? t('border.useZone') : t('border.typeDataPage')} <Kbd shortcut="Alt+T" />
                </button>
              </div>
              {direction === 'entry' && (
                <div className="border-row">
                  <label>
                    {t('border.plannedDeparture')}
                    <input
                      ref={departureField}
                      value={plannedDeparture}
                      {...dateTextProps(t('registration.datePlaceholder'))}
                      onChange={(event) => setPlannedDeparture(event.target.value.trim())}
                      data-testid="border-planned-departure"
                    />
                  </label>
                  <label className="border-check-label">
                    <input type="checkbox" checked={visa.presented} onChange={(event) => setVisa({ ...visa, presented: event.target.checked })} data-testid="border-visa-presented" />
                    {t('border.visaPresented')}
                  </label>
                </div>
              )}
              {direction === 'entry' && !plannedDeparture && <p className="border-note">{t('border.plannedDepartureHint')}</p>}
              {direction === 'entry' && visa.presented && <VisaFields visa={visa} onChange={setVisa} />}
              <div className="border-row">
                <button type="submit" className="border-primary" disabled={busy !== null} data-testid="border-run-checks">
                  {busy === 'checking' ? t('border.reading') : t('border.runChecks')} <Kbd shortcut="Alt+R" />
                </button>
              </div>
            </form>
          )}

          {prepared && (
            <>
              <section className="border-panel" aria-labelledby="border-traveller-title" data-testid="border-traveller">
                <h3 id="border-traveller-title">{t('border.traveller')}</h3>
                <dl className="border-facts">
                  <div>
                    <dt>{t('border.surname')}</dt>
                    <dd data-testid="border-surname">{prepared.person.surname}</dd>
                  </div>
                  <div>
                    <dt>{t('border.givenNames')}</dt>
                    <dd>{prepared.person.givenNames}</dd>
                  </div>
                  <div>
                    <dt>{t('border.birthDate')}</dt>
                    <dd>{formatCalendarDay(prepared.person.birthDate, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t('border.sex')}</dt>
                    <dd>{sexLabel(prepared.person.sex, t)}</dd>
                  </div>
                  <div>
                    <dt>{t('border.nationality')}</dt>
                    <dd>{prepared.person.nationality}</dd>
                  </div>
                  <div>
                    <dt>{t('border.documentNumber')}</dt>
                    <dd>
                      {prepared.document.documentCode} {prepared.document.documentNumber} ({prepared.document.issuingState})
                    </dd>
                  </div>
                  <div>
                    <dt>{t('border.expiryDate')}</dt>
                    <dd>{formatCalendarDay(prepared.document.expiryDate, locale)}</dd>
                  </div>
                </dl>
                {prepared.mrz && (
                  <p className={prepared.mrz.valid ? 'border-note' : 'border-note border-note--alarm'}>
                    {prepared.mrz.valid ? t('border.zoneValid') : t('border.zoneInvalid')}
                    {prepared.mrz.corrections.length > 0 && ` ${t('border.zoneCorrected', { count: prepared.mrz.corrections.length })}`}
                  </p>
                )}
              </section>
              <CheckList checks={prepared.checks} />
            </>
          )}

          {prepared && !saved && (
            <>
              <FingerprintPanel
                required={prepared.fingerprints}
                scanners={scanners}
                state={fingers}
                onChange={(next) => {
                  setFingers(next);
                  setProblem(null);
                }} onCapture={(position) => void capture(position)} />
              <section className="border-panel" aria-labelledby="border-decision-title" data-testid="border-decision">
                <h3 id="border-decision-title">{t('border.decisionTitle')}</h3>
                {direction === 'entry' && <ReasonCheckboxes reasons={reasons} suggested={prepared.suggestedRefusalReasons} onChange={setReasons} idPrefix="border" />}
                <div className="border-row">
                  <button type="button" className="border-admit" onClick={() => void record('admitted')} disabled={busy !== null} data-testid="border-admit">
                    {busy === 'saving' ? t('border.saving') : t('border.admit')} <Kbd shortcut="Alt+A" />
                  </button>
                  {direction === 'entry' && (
                    <button type="button" className="border-refuse" onClick={() => void record('refused')} disabled={busy !== null} data-testid="border-refuse">
                      {t('border.refuse')} <Kbd shortcut="Alt+D" />
                    </button>
                  )}
                </div>
              </section>
            </>
          )}
        </div>
        {prepared && (
          <aside className="border-side" aria-label={t('border.checksTitle')}>
            <StayPanel prepared={prepared} rules={rules} />
            <EarlierPanel prepared={prepared} formatWhen={formatWhen} />
          </aside>
        )}
      </div>
    </section>
  );
}
