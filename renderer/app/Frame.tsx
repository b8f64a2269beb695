import { useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { parseMrz } from '../../domain/mrz';
import type { AppStatus, DevicesStatus, SyncStatusView } from '../../main/api/contract';
import type { MisBridge, RequestOutput, SignedInOfficer } from '../../main/api/types';

type StationDetails = RequestOutput<'reference.station'>;
import { useKeyboardWedge } from '../devices/use-keyboard-wedge';
import { formatTime } from '../i18n/format';
import { useLocale } from '../i18n/init';
import { BorderScreen } from '../screens/border/BorderScreen';
import { RegistrationScreen } from '../screens/registration/RegistrationScreen';
import type { ScreenProps } from '../screens/screen-props';
import { SearchScreen } from '../screens/search/SearchScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { ShiftScreen } from '../screens/shift/ShiftScreen';
import { screensFor, useNavigationStore, type Screen } from '../state/navigation-store';
import { scanWorkflowFor, useScanStore } from '../state/scan-store';
import { Kbd, useShortcuts } from '../ui/shortcuts';
import { describeConnection } from './connection';
import { DevicesPanel } from './DevicesPanel';
import { StatusScreen } from './StatusScreen';

/** Catches a keyboard-wedge reader's bursts (mounted while the station has one ready) and hands them to main. */
function KeyboardWedge({ bridge }: { bridge: MisBridge }) {
  useKeyboardWedge((text) => void bridge.request('devices.wedgeReading', { text }));
  return null;
}

/** What a screen reader says when a document is read (the workflow it opens shows the rest). */
function describeScan(text: string, t: TFunction): string {
  const parsed = parseMrz(text);
  if (!parsed.ok) return t('nav.scanUnreadable', { code: parsed.error.code });
  const { documentNumber, issuingState } = parsed.document.fields;
  return t('nav.scanned', { documentNumber, issuingState });
}

function SyncIndicator({ sync }: { sync: SyncStatusView | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!sync) return null;
  const pending = sync.collections.reduce((sum, collection) => sum + collection.pending, 0);
  const labels: Record<SyncStatusView['state'], string> = {
    'not-configured': t('nav.syncNotConfigured'),
    idle: t('nav.syncIdle'),
    syncing: t('nav.syncing'),
    failing: t('nav.syncFailing'),
  };
  return (
    <div className={`sync-indicator sync-indicator--${sync.state}`} role="status" aria-live="polite" data-testid="sync-indicator" data-state={sync.state} data-pending={pending}>
      <span className="sync-indicator__label">{labels[sync.state]}</span>
      <span>{t('nav.unsent', { count: pending })}</span>
      {sync.lastSuccessAt && <span>{t('nav.lastSync', { time: formatTime(new Date(sync.lastSuccessAt), locale) })}</span>}
    </div>
  );
}

function ConnectionBadge({ server }: { server: AppStatus['server'] }) {
  const { t } = useTranslation();
  const view = describeConnection(server, t);
  return (
    <div className={`connection-badge connection--${view.state}`} role="status" data-testid="connection-badge" data-state={view.state} title={view.explanation}>
      <span className="connection__dot" aria-hidden="true" />
      {view.label}
    </div>
  );
}

/**
 * The logged-in officer's frame: the navigation their role allows (Alt+1, Alt+2 …), the
 * station's online and sync state always in view, the keyboard-wedge listener, and the
 * routing of every scanned document to the workflow that takes it.
 */
export function Frame({ bridge, officer, status }: { bridge: MisBridge; officer: SignedInOfficer; status: AppStatus | null }) {
  const { t } = useTranslation();
  const { screen, go } = useNavigationStore();
  const route = useScanStore((state) => state.route);
  const available = useMemo(() => screensFor(officer.role), [officer.role]);
  const [station, setStation] = useState<StationDetails | null>(null);
  const [devices, setDevices] = useState<DevicesStatus | null>(null);
  const [sync, setSync] = useState<SyncStatusView | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    let current = true;
    void bridge.request('reference.station', {}).then((result) => {
      if (!current || !result.ok) return;
      setStation(result.value);
      if (result.value.kind === 'border-crossing') useNavigationStore.getState().go('border');
    });
    return () => {
      current = false;
    };
  }, [bridge, status?.store.state]);
  useEffect(() => bridge.subscribe('devices.statusChanges', {}, setDevices, () => undefined), [bridge]);
  useEffect(() => bridge.subscribe('sync.statusChanges', {}, setSync, () => undefined), [bridge]);
  useEffect(
    () =>
      bridge.subscribe(
        'devices.readings',
        {},
        (reading) => {
          const workflow = scanWorkflowFor(useNavigationStore.getState().screen, station?.kind);
          if (!workflow) return;
          route(reading, workflow);
          go(workflow);
          setAnnouncement(describeScan(reading.text, t));
        },
        () => undefined,
      ),
    [bridge, station, route, go, t],
  );
  const shown = available.includes(screen) ? screen : (available[0] ?? 'status');
  const names: Record<Screen, string> = {
    registration: t('nav.registration'),
    border: t('nav.border'),
    search: t('nav.search'),
    shift: t('nav.shift'),
    settings: t('nav.settings'),
    status: t('nav.status'),
  };
  useShortcuts(available.map((target, index) => [`Alt+${index + 1}`, () => go(target)]));
  const props: ScreenProps = { bridge, officer, station };
  const wedgeReady = devices?.devices.some((device) => device.transport === 'keyboard-wedge' && device.state === 'ready') ?? false;
  return (
    <div className="frame">
      <div className="frame__bar" data-testid="frame-bar">
        {status && <ConnectionBadge server={status.server} />}
        <SyncIndicator sync={sync} />
        {station?.name && <span className="frame__station">{station.name}</span>}
      </div>
      <nav className="frame__nav" aria-label={t('nav.label')}>
        {available.map((target, index) => (
          <button key={target} type="button" data-testid={`nav-${target}`} aria-current={shown === target ? 'page' : undefined} onClick={() => go(target)}>
            {names[target]} <Kbd shortcut={`Alt+${index + 1}`} />
          </button>
        ))}
      </nav>
      {wedgeReady && <KeyboardWedge bridge={bridge} />}
      <p className="visually-hidden" aria-live="assertive" data-testid="scan-announcement">
        {announcement}
      </p>
      <div className="frame__screen">
        {shown === 'registration' && <RegistrationScreen {...props} />}
        {shown === 'border' && <BorderScreen {...props} />}
        {shown === 'search' && <SearchScreen {...props} />}
        {shown === 'shift' && <ShiftScreen {...props} />}
        {shown === 'settings' && <SettingsScreen {...props} />}
        {shown === 'status' && (
          <>
            {status && <StatusScreen status={status} />}
            <DevicesPanel bridge={bridge} />
          </>
        )}
      </div>
    </div>
  );
}
