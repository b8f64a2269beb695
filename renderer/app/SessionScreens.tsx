import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SessionView } from '../../main/api/contract';
import type { ApiErrorValue } from '../../main/api/errors';
import type { MisBridge } from '../../main/api/types';

/** A form that sends one request and shows its refusal in words; main decides, the form only asks. */
function useSubmit(send: () => Promise<{ ok: true } | { ok: false; error: ApiErrorValue }>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    void send().then((result) => {
      setBusy(false);
      if (!result.ok) setError(result.error);
    });
  };
  return { busy, error, submit };
}

function Refusal({ error }: { error: ApiErrorValue | null }) {
  if (!error) return null;
  return (
    <p className="banner banner--error" role="alert" data-testid="session-error" data-code={error.code}>
      {error.message}
    </p>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="session-card" aria-labelledby="session-title">
      <h2 id="session-title">{title}</h2>
      {children}
    </section>
  );
}

export function LoginScreen({ bridge }: { bridge: MisBridge }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const result = await bridge.request('auth.login', { username, password });
    setPassword('');
    return result;
  });
  return (
    <Card title="Log in">
      <form onSubmit={submit} className="session-form" data-testid="login-form">
        <label>
          Username
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(event) => setUsername(event.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </Card>
  );
}

export function LockScreen({ bridge, session }: { bridge: MisBridge; session: SessionView }) {
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const result = await bridge.request('auth.unlock', { password });
    setPassword('');
    return result;
  });
  return (
    <Card title="Screen locked">
      <p>
        Locked for {session.officer?.name} ({session.officer?.badgeNumber}). Enter your password to go on, or log out so that another officer can log in.
      </p>
      <form onSubmit={submit} className="session-form" data-testid="unlock-form">
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          Unlock
        </button>
        <button type="button" onClick={() => void bridge.request('auth.logout', {})}>
          Log out
        </button>
      </form>
    </Card>
  );
}

export function PasswordChangeScreen({ bridge, required, onDone }: { bridge: MisBridge; required: boolean; onDone?: () => void }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    if (newPassword !== repeated) return { ok: false, error: { code: 'INVALID_INPUT', message: 'The two new passwords differ.' } };
    const result = await bridge.request('auth.changePassword', { currentPassword, newPassword });
    if (result.ok) onDone?.();
    return result;
  });
  return (
    <Card title={required ? 'Choose your own password' : 'Change your password'}>
      {required && <p>You logged in with a one-time password. Choose your own before you go on (this needs the central server).</p>}
      <form onSubmit={submit} className="session-form" data-testid="password-form">
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" autoFocus value={currentPassword} onChange={(event) => setCurrent(event.target.value)} required />
        </label>
        <label>
          New password (at least 12 characters)
          <input name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(event) => setNew(event.target.value)} required />
        </label>
        <label>
          New password again
          <input name="repeated" type="password" autoComplete="new-password" value={repeated} onChange={(event) => setRepeated(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          Change password
        </button>
        {!required && onDone && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
        {required && (
          <button type="button" onClick={() => void bridge.request('auth.logout', {})}>
            Log out
          </button>
        )}
      </form>
    </Card>
  );
}

/** How often at most the officer's typing and clicking is reported to main as activity. */
const activityReportMs = 30_000;

/**
 * Tells main the officer is at work, at most every 30 s: main locks an idle session on its
 * own clock, so typing into a long form must count as activity.
 */
export function useActivityReports(bridge: MisBridge, active: boolean): void {
  const lastReport = useRef(0);
  useEffect(() => {
    if (!active) return;
    const report = () => {
      const now = Date.now();
      if (now - lastReport.current < activityReportMs) return;
      lastReport.current = now;
      void bridge.request('auth.touch', {});
    };
    window.addEventListener('keydown', report);
    window.addEventListener('pointerdown', report);
    return () => {
      window.removeEventListener('keydown', report);
      window.removeEventListener('pointerdown', report);
    };
  }, [bridge, active]);
}
