import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  return (
    <Card title={t('login.title')}>
      <form onSubmit={submit} className="session-form" data-testid="login-form">
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(event) => setUsername(event.target.value)} required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t('login.checking') : t('login.submit')}
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
  const { t } = useTranslation();
  return (
    <Card title={t('lock.title')}>
      <p>{t('lock.explanation', { name: session.officer?.name ?? '', badgeNumber: session.officer?.badgeNumber ?? '' })}</p>
      <form onSubmit={submit} className="session-form" data-testid="unlock-form">
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          {t('lock.unlock')}
        </button>
        <button type="button" onClick={() => void bridge.request('auth.logout', {})}>
          {t('app.logOut')}
        </button>
      </form>
    </Card>
  );
}

export function PasswordChangeScreen({ bridge, required, onDone }: { bridge: MisBridge; required: boolean; onDone?: () => void }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const { t } = useTranslation();
  const { busy, error, submit } = useSubmit(async () => {
    if (newPassword !== repeated) return { ok: false, error: { code: 'INVALID_INPUT', message: t('password.mismatch') } };
    const result = await bridge.request('auth.changePassword', { currentPassword, newPassword });
    if (result.ok) onDone?.();
    return result;
  });
  return (
    <Card title={required ? t('password.titleRequired') : t('password.titleOptional')}>
      {required && <p>{t('password.oneTimeExplanation')}</p>}
      <form onSubmit={submit} className="session-form" data-testid="password-form">
        <label>
          {t('password.current')}
          <input name="currentPassword" type="password" autoComplete="current-password" autoFocus value={currentPassword} onChange={(event) => setCurrent(event.target.value)} required />
        </label>
        <label>
          {t('password.new')}
          <input name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(event) => setNew(event.target.value)} required />
        </label>
        <label>
          {t('password.repeated')}
          <input name="repeated" type="password" autoComplete="new-password" value={repeated} onChange={(event) => setRepeated(event.target.value)} required />
        </label>
        <Refusal error={error} />
        <button type="submit" disabled={busy}>
          {t('password.submit')}
        </button>
        {!required && onDone && (
          <button type="button" onClick={onDone}>
            {t('password.cancel')}
          </button>
        )}
        {required && (
          <button type="button" onClick={() => void bridge.request('auth.logout', {})}>
            {t('app.logOut')}
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
