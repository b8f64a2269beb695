import type { AppStatus } from '../../main/api/contract';
import { describeConnection } from './connection';

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString() : '—';
}

export function ConnectionIndicator({ server }: { server: AppStatus['server'] }) {
  const view = describeConnection(server);
  return (
    <div className={`connection connection--${view.state}`} role="status" aria-live="polite" data-testid="connection-indicator" data-state={view.state}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{view.label}</span>
      <span className="connection__explanation">{view.explanation}</span>
    </div>
  );
}

const storeStateLabels: Record<AppStatus['store']['state'], string> = {
  opening: 'Opening the local store…',
  open: 'Local store open. Records are saved on this station.',
  unavailable: 'The local store cannot be used. Nothing can be saved until IT staff fix it.',
};

function StoreState({ store }: { store: AppStatus['store'] }) {
  return (
    <div className={`store-state store-state--${store.state}`} role={store.state === 'unavailable' ? 'alert' : 'status'} data-testid="store-state" data-state={store.state}>
      <p>{storeStateLabels[store.state]}</p>
      {store.problem && <p className="store-state__problem">{store.problem}</p>}
    </div>
  );
}

export function StatusScreen({ status }: { status: AppStatus }) {
  const rows: [string, string][] = [
    ['Station', status.stationId ?? 'Not provisioned'],
    ['Central server', status.server.url ?? 'Not configured'],
    ['Since', formatTime(status.server.lastCheckedAt)],
    ['Local store', status.store.location],
    ['Officer', status.officer ? `${status.officer.name} (${status.officer.role})` : 'Not logged in'],
    ['Version', status.version],
  ];
  return (
    <section className="status" aria-labelledby="status-title">
      <h2 id="status-title">Station status</h2>
      <ConnectionIndicator server={status.server} />
      {status.server.problem && <p className="status__problem" data-testid="server-problem">{status.server.problem}</p>}
      <StoreState store={status.store} />
      <dl className="status__details">
        {rows.map(([label, value]) => (
          <div key={label} className="status__row">
            <dt>{label}</dt>
            <dd data-testid={`status-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
