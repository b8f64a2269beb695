import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../main/api/contract';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { RequestOutput } from '../../../main/api/types';
import { formatTime } from '../../i18n/format';
import { useLocale } from '../../i18n/init';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcuts } from '../../ui/shortcuts';
import type { ScreenProps } from '../screen-props';
import { ConflictsPanel } from './ConflictsPanel';
import { formatDateTime } from './format-shift';
import { ShiftNumbers } from './ShiftNumbers';
import { pendingOf, syncProgress } from './sync-progress';
import { UnsentList } from './UnsentList';
import './shift.css';

type Summary = RequestOutput<'shift.summary'>;
type Unsent = RequestOutput<'shift.unsent'>;

const HOUR = 3_600_000;
/** The periods a supervisor picks from: a short shift, the usual 12 hours, a whole day. */
const PERIOD_HOURS = [8, 12, 24] as const;

function SyncPanel({ sync, pendingAtStart, finished, running, onSync }: { sync: SyncStatusView | null; pendingAtStart: number | null; finished: boolean; running: boolean; onSync: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const progress = syncProgress(pendingAtStart, sync, finished);
  const states: Record<SyncStatusView['state'], string> = {
    'not-configured': t('shift.stateNotConfigured'),
    idle: t('shift.stateIdle'),
    syncing: t('shift.stateSyncing'),
    failing: t('shift.stateFailing'),
  };
  const received = sync?.collections.reduce((sum, collection) => sum + collection.received, 0) ?? 0;
  // With nothing to send, the bar shows the pull: empty while it runs, full when done.
  const percent = progress.phase === 'done' ? (progress.left === 0 ? 100 : Math.round((progress.done / Math.max(1, progress.total)) * 100)) : progress.total === 0 ? 0 : Math.round((progress.done / progress.total) * 100);
  return (
    <section className="shift-card no-print" aria-labelledby="shift-sync-title" data-testid="shift-sync">
      <h3 id="shift-sync-title">{t('shift.syncHeading')}</h3>
      <div className="shift-sync__row">
        <button type="button" className="shift-button shift-button--primary" onClick={onSync} disabled={running || sync?.state === 'not-configured'} data-testid="shift-sync-now">
          {t('shift.syncNow')} <Kbd shortcut="Alt+S" />
        </button>
        {sync && (
          <span className={`shift-sync__state shift-sync__state--${sync.state}`} data-testid="shift-sync-state" data-state={sync.state}>
            {states[sync.state]}
          </span>
        )}
        <span className="shift-sync__last">
          {sync?.lastSuccessAt ? t('shift.lastSuccess', { time: formatTime(new Date(sync.lastSuccessAt), locale) }) : t('shift.neverSynced')}
        </span>
      </div>
      {sync?.problem && <p className="shift-sync__problem">{sync.problem}</p>}
      <label className="shift-progress" htmlFor="shift-progress-bar">
        <span>{t('shift.progressLabel')}</span>
        <progress id="shift-progress-bar" max={100} value={percent} data-testid="shift-progress" data-phase={progress.phase} data-done={progress.done} data-total={progress.total} data-left={progress.left} />
      </label>
      <p role="status" aria-live="polite" data-testid="shift-progress-text">
        {progress.phase === 'idle' && t('shift.progressWaiting')}
        {progress.phase === 'running' && t('shift.progressRunning', { done: progress.done, total: progress.total })}
        {progress.phase === 'done' && (progress.left === 0 ? t('shift.progressDone') : t('shift.progressLeft', { count: progress.left }))}
      </p>
      <p className="shift-muted">{t('shift.received', { count: received })}</p>
    </section>
  );
}

/**
 * The supervisor's shift view: sync now with its progress, what is still unsent and why,
 * the conflicts to review, the shift's numbers with charts, and the printable report
 * (in print, only the report shows: the header, period, numbers and signature line).
 */
export function ShiftScreen({ bridge, officer, station }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [sync, setSync] = useState<SyncStatusView | null>(null);
  const [unsent, setUnsent] = useState<Unsent | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [hours, setHours] = useState<number>(12);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [pendingAtStart, setPendingAtStart] = useState<number | null>(null);
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState(false);

  useEffect(() => bridge.subscribe('sync.statusChanges', {}, setSync, setError), [bridge]);

  const loadUnsent = useCallback(async () => {
    const result = await bridge.request('shift.unsent', {});
    if (result.ok) setUnsent(result.value);
    else setError(result.error);
  }, [bridge]);

  const loadSummary = useCallback(async () => {
    const to = Date.now();
    const result = await bridge.request('shift.summary', { from: to - hours * HOUR, to });
    if (result.ok) setSummary(result.value);
    else setError(result.error);
  }, [bridge, hours]);

  // The unsent list follows the count sync keeps live: a record sent or saved changes it.
  const pendingNow = sync ? pendingOf(sync) : null;
  useEffect(() => {
    void loadUnsent();
  }, [loadUnsent, pendingNow, sync?.state]);
  useEffect(() => {
    void loadSummary();
  }, [loadSummary]);

  const syncNow = async () => {
    if (running) return;
    setPendingAtStart(sync ? pendingOf(sync) : 0);
    setFinished(false);
    setRunning(true);
    setError(null);
    const result = await bridge.request('sync.now', {});
    setRunning(false);
    setFinished(true);
    if (result.ok) setSync(result.value);
    else setError(result.error);
    await Promise.all([loadUnsent(), loadSummary()]);
  };

  useShortcuts([
    ['Alt+S', () => void syncNow()],
    ['Alt+P', () => window.print()],
    ['Alt+R', () => void loadSummary()],
  ]);

  const unsentTotal = unsent?.collections.reduce((sum, collection) => sum + collection.pending, 0) ?? 0;
  return (
    <section className="screen shift" aria-labelledby="screen-title" data-testid="screen-shift">
      <div className="shift__head no-print">
        <h2 id="screen-title">{t('shift.title')}</h2>
        <button type="button" className="shift-button" onClick={() => window.print()} data-testid="shift-print">
          {t('shift.print')} <Kbd shortcut="Alt+P" />
        </button>
      </div>
      <ErrorBanner error={error} />
      <SyncPanel sync={sync} pendingAtStart={pendingAtStart} finished={finished} running={running} onSync={() => void syncNow()} />
      {unsent && (
        <div className="no-print">
          <UnsentList unsent={unsent} />
        </div>
      )}
      <ConflictsPanel bridge={bridge} reported={sync?.conflicts ?? 0} />

      <section className="shift-card shift-report" aria-labelledby="shift-numbers-title" data-testid="shift-report">
        <header className="shift-report__header print-only">
          <h2>{t('shift.reportTitle')}</h2>
          <dl className="shift-report__facts">
            <dt>{t('shift.reportStation')}</dt>
            <dd>{station?.name ?? station?.stationId ?? '—'}</dd>
            <dt>{t('shift.reportPrintedBy')}</dt>
            <dd>
              {officer.name} ({officer.badgeNumber})
            </dd>
            <dt>{t('shift.reportPrintedAt')}</dt>
            <dd>{formatDateTime(Date.now(), locale)}</dd>
            <dt>{t('shift.reportUnsent')}</dt>
            <dd>{unsentTotal}</dd>
            <dt>{t('shift.reportLastSync')}</dt>
            <dd>{sync?.lastSuccessAt ? formatDateTime(Date.parse(sync.lastSuccessAt), locale) : t('shift.reportNever')}</dd>
          </dl>
        </header>
        <div className="shift-numbers__head">
          <h3 id="shift-numbers-title">{t('shift.numbersHeading')}</h3>
          <label className="shift-period no-print">
            {t('shift.period')}
            <select value={hours} onChange={(event) => setHours(Number(event.target.value))} data-testid="shift-period">
              {PERIOD_HOURS.map((option) => (
                <option key={option} value={option}>
                  {t('shift.periodLast', { count: option })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="shift-button no-print" onClick={() => void loadSummary()} data-testid="shift-refresh">
            {t('shift.refresh')} <Kbd shortcut="Alt+R" />
          </button>
        </div>
        {summary ? (
          <>
            <p data-testid="shift-period-shown">
              {t('shift.reportPeriod')}: {t('shift.periodShown', { from: formatDateTime(summary.from, locale), to: formatDateTime(summary.to, locale) })}
            </p>
            <ShiftNumbers summary={summary} />
          </>
        ) : (
          <p role="status">{t('shift.loading')}</p>
        )}
        <p className="shift-report__signature print-only">{t('shift.reportSignature')}: ______________________________</p>
      </section>
    </section>
  );
}
