import type { ApiErrorValue } from '../../main/api/errors';

/** Main's refusal in its own words, announced to screen readers; the code is for tests and support staff. */
export function ErrorBanner({ error, testId = 'screen-error' }: { error: ApiErrorValue | null; testId?: string }) {
  if (!error) return null;
  return (
    <div className="banner banner--error" role="alert" data-testid={testId} data-code={error.code}>
      <p>{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul>
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
