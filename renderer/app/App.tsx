import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MisBridge } from '../../main/api/types';
import type { BridgeProblem } from '../bridge/connect';
import { useSessionStore } from '../state/session-store';
import { useStatusStore } from '../state/status-store';
import { Frame } from './Frame';
import { LanguageSwitcher } from './LanguageSwitcher';
import { LockScreen, LoginScreen, PasswordChangeScreen, useActivityReports } from './SessionScreens';
import { StatusScreen } from './StatusScreen';

export function App({ bridge }: { bridge: MisBridge }) {
  const { status, problem, receive, fail } = useStatusStore();
  const { session, receive: receiveSession } = useSessionStore();
  const [changingPassword, setChangingPassword] = useState(false);
  const { t } = useTranslation();

  useEffect(() => bridge.subscribe('app.statusChanges', {}, receive, fail), [bridge, receive, fail]);
  useEffect(() => bridge.subscribe('auth.sessionChanges', {}, receiveSession, fail), [bridge, receiveSession, fail]);
  useActivityReports(bridge, session?.state === 'active');

  const state = session?.state ?? 'signed-out';
  const roleNames = { officer: t('app.roleOfficer'), supervisor: t('app.roleSupervisor'), admin: t('app.roleAdmin') };
  return (
    <div className="app">
      <header className="app__header">
        <h1>MIS Station</h1>
        <LanguageSwitcher />
        {session?.officer && state !== 'signed-out' && (
          <div className="app__officer" data-testid="officer-bar">
            <span data-testid="officer-name">
              {session.officer.name} · {session.officer.badgeNumber} · {roleNames[session.officer.role]}
            </span>
            {state === 'active' && (
              <>
                <button type="button" onClick={() => setChangingPassword(true)}>
                  {t('app.changePassword')}
                </button>
                <button type="button" onClick={() => void bridge.request('auth.lock', {})} data-testid="lock-button">
                  {t('app.lock')}
                </button>
              </>
            )}
            <button type="button" onClick={() => void bridge.request('auth.logout', {})} data-testid="logout-button">
              {t('app.logOut')}
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
        {session?.officer && state === 'active' && <Frame bridge={bridge} officer={session.officer} status={status} />}
        {state !== 'active' && (status ? <StatusScreen status={status} /> : <p className="loading">{t('app.starting')}</p>)}
      </main>
    </div>
  );
}

export function MissingBridge({ problem }: { problem: BridgeProblem }) {
  const { t } = useTranslation();
  const words: Record<BridgeProblem, string> = {
    'missing-launch-token': t('bridge.missingToken', { command: 'npm run start:web' }),
  };
  return (
    <div className="app">
      <header className="app__header">
        <h1>MIS Station</h1>
        <LanguageSwitcher />
      </header>
      <main className="app__main">
        <p className="banner banner--error" role="alert" data-testid="app-problem">
          {words[problem]}
        </p>
      </main>
    </div>
  );
}
