import { useEffect } from 'react';
import type { MisBridge } from '../../main/api/types';
import { useStatusStore } from '../state/status-store';
import { StatusScreen } from './StatusScreen';

export function App({ bridge }: { bridge: MisBridge }) {
  const { status, problem, receive, fail } = useStatusStore();

  useEffect(() => bridge.subscribe('app.statusChanges', {}, receive, fail), [bridge, receive, fail]);

  return (
    <div className="app">
      <header className="app__header">
        <h1>MIS Station</h1>
      </header>
      <main className="app__main">
        {problem && (
          <p className="banner banner--error" role="alert" data-testid="app-problem">
            {problem.message}
          </p>
        )}
        {status ? <StatusScreen status={status} /> : <p className="loading">Starting…</p>}
      </main>
    </div>
  );
}

export function MissingBridge({ problem }: { problem: string }) {
  return (
    <div className="app">
      <header className="app__header">
        <h1>MIS Station</h1>
      </header>
      <main className="app__main">
        <p className="banner banner--error" role="alert" data-testid="app-problem">
          {problem}
        </p>
      </main>
    </div>
  );
}
