import { useTranslation } from 'react-i18next';
import type { ApiErrorCode, ApiErrorValue } from '../../main/api/errors';
import { useLocale } from '../i18n/init';

/** What each error code means, in the officer's language; main's own message (English) gives the detail. */
function useErrorHeadlines(): Record<ApiErrorCode, string> {
  const { t } = useTranslation();
  return {
    INVALID_INPUT: t('errors.invalidInput'),
    UNKNOWN_REQUEST: t('errors.unknownRequest'),
    UNKNOWN_SUBSCRIPTION: t('errors.unknownSubscription'),
    NOT_AUTHENTICATED: t('errors.notAuthenticated'),
    SESSION_LOCKED: t('errors.sessionLocked'),
    ROLE_REFUSED: t('errors.roleRefused'),
    PASSWORD_CHANGE_REQUIRED: t('errors.passwordChangeRequired'),
    LOGIN_FAILED: t('errors.loginFailed'),
    ACCOUNT_LOCKED: t('errors.accountLocked'),
    ACCOUNT_NOT_ALLOWED: t('errors.accountNotAllowed'),
    PASSWORD_WRONG: t('errors.passwordWrong'),
    PASSWORD_WEAK: t('errors.passwordWeak'),
    STORE_UNAVAILABLE: t('errors.storeUnavailable'),
    DEVICE_FAILED: t('errors.deviceFailed'),
    FORBIDDEN: t('errors.forbidden'),
    NOT_FOUND: t('errors.notFound'),
    CONFLICT: t('errors.conflict'),
    TRANSPORT_CLOSED: t('errors.transportClosed'),
    SERVER_UNAVAILABLE: t('errors.serverUnavailable'),
    INTERNAL: t('errors.internal'),
  };
}

/** Main's refusal: what it means in the officer's language, then main's own words; announced to screen readers; the code is for tests and support staff. */
export function ErrorBanner({ error, testId = 'screen-error' }: { error: ApiErrorValue | null; testId?: string }) {
  const headlines = useErrorHeadlines();
  const locale = useLocale();
  if (!error) return null;
  return (
    <div className="banner banner--error" role="alert" data-testid={testId} data-code={error.code}>
      <p>
        <strong>{headlines[error.code]}</strong>
      </p>
      <p lang={locale === 'en' ? undefined : 'en'}>{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul lang={locale === 'en' ? undefined : 'en'}>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
