import { useEffect, useState } from 'react';
import type { MisBridge } from '../../main/api/types';
import { useSessionStore } from '../state/session-store';
import { useStatusStore } from '../state/status-store';
import { DevicesPanel } from './DevicesPanel';
import { LockScreen, LoginScreen, PasswordChangeScreen, useActivityReports } from './SessionScreens';
import { StatusScreen } from './StatusScreen';

export function App({ bridge }: { bridge: MisBridge }) {
  const { status, problem, receive, fail } = useStatusStore();
  const { session, receive: receiveSession } = useSessionStore();
  const [changingPassword, setChangingPassword] = useState(false);

  useEffect(() => bridge.subscribe('app.statusChanges', {}, receive, fail), [bridge, receive, fail]);
  useEffect(() => bridge.subscribe('auth.sessionChanges', {}, receiveSession, fail), [bridge, receiveSession, fail]);
  useActivityReports(bridge, session?.state === 'active');

  const state = session?.state ?? 'signed-out';
  return (
    <div className="app">
      <header className="app__header">
        <h1>MIS Station</h1>
        {session?.officer && state !== 'signed-out' && (
          <div className="app__officer" data-testid="officer-bar">
            <span data-testid="officer-name">
              {session.officer.name} · {session.officer.badgeNumber} · {session.officer.role}
            </span>
            {state === 'active' && (
              <>
                <button type="button" onClick={() => setChangingPassword(true)}>
                  Change password
                </button>
                <button type="button" onClick={() => void bridge.request('auth.lock', {})} data-testid="lock-button">
                  Lock
                </button>
              </>
            )}
            <button type="button" onClick={() => void bridge.request('auth.logout', {})} data-testid="logout-button">
              Log out
            </button>
          </div>
        )}
      </header>
      <main className="app__main">
        {problem && (
          <p className="banner banner--error" role="alert" data-testid="app-problem">
            {problem.message}
          </p>
        )}
        {session && state === 'signed-out' && <LoginScreen bridge={bridge} />}
        {session && state === 'locked' && <LockScreen bridge={bridge} session={session} />}
        {session && state === 'password-change-required' && <PasswordChangeScreen bridge={bridge} required />}
        {session && state === 'active' && changingPassword && <PasswordChangeScreen bridge={bridge} required={false} onDone={() => setChangingPassword(false)} />}
        {session && state === 'active' && <DevicesPanel bridge={bridge} />}
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
