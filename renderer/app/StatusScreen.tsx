import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../main/api/contract';
import { formatTime } from '../i18n/format';
import { useLocale } from '../i18n/init';
import { describeConnection } from './connection';

export function ConnectionIndicator({ server }: { server: AppStatus['server'] }) {
  const { t } = useTranslation();
  const view = describeConnection(server, t);
  return (
    <div className={`connection connection--${view.state}`} role="status" aria-live="polite" data-testid="connection-indicator" data-state={view.state}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{view.label}</span>
      <span className="connection__explanation">{view.explanation}</span>
    </div>
  );
}

function StoreState({ store }: { store: AppStatus['store'] }) {
  const { t } = useTranslation();
  const labels: Record<AppStatus['store']['state'], string> = {
    opening: t('store.opening'),
    open: t('store.open'),
    unavailable: t('store.unavailable'),
  };
  return (
    <div className={`store-state store-state--${store.state}`} role={store.state === 'unavailable' ? 'alert' : 'status'} data-testid="store-state" data-state={store.state}>
      <p>{labels[store.state]}</p>
      {store.problem && <p className="store-state__problem">{store.problem}</p>}
    </div>
  );
}

export function StatusScreen({ status }: { status: AppStatus }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const lastChecked = status.server.lastCheckedAt;
  // The test ids stay English whatever the language, so tests and support staff find the rows.
  const rows: [testId: string, label: string, value: string][] = [
    ['station', t('status.station'), status.stationId ?? t('status.notProvisioned')],
    ['central-server', t('status.centralServer'), status.server.url ?? t('status.notConfigured')],
    ['since', t('status.since'), lastChecked ? formatTime(new Date(lastChecked), locale) : '—'],
    ['local-store', t('status.localStore'), status.store.location],
    ['officer', t('status.officer'), status.officer ? `${status.officer.name} (${status.officer.role})` : t('status.notLoggedIn')],
    ['version', t('status.version'), status.version],
  ];
  return (
    <section className="status" aria-labelledby="status-title">
      <h2 id="status-title">{t('status.title')}</h2>
      <ConnectionIndicator server={status.server} />
      {status.server.problem && <p className="status__problem" data-testid="server-problem">{status.server.problem}</p>}
      <StoreState store={status.store} />
      <dl className="status__details">
        {rows.map(([testId, label, value]) => (
          <div key={testId} className="status__row">
            <dt>{label}</dt>
            <dd data-testid={`status-${testId}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
