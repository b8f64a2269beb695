/**
 * Whether an error means the database could not be used in time: it could not be reached,
 * no pooled connection came free, a statement ran out of time (statement_timeout, a lock
 * it waited for), or no answer came at all (the connection cut or silent). Such a request
 * is worth trying again later, on this node or another, and the server answers it with 503
 * DATABASE_UNAVAILABLE, not with INTERNAL.
 *
 * This is where knowledge of PostgreSQL's, node-postgres's and SQLite's errors lives, so that the
 * HTTP layer needs none. node-postgres reports its own timeouts and cut connections with
 * plain Errors, told apart only by their messages (pg 8: pg-pool and pg/lib/client.js).
 */

/** SQLSTATEs of a statement cut short or a session the server could not give (PostgreSQL, appendix A). */
const unavailableStates = new Set([
  // query_canceled: statement_timeout ran out (or an operator cancelled the statement).
  '57014',
  // lock_not_available: lock_timeout ran out.
  '55P03',
  // admin_shutdown, crash_shutdown, cannot_connect_now: the server is stopping, restarting or starting.
  '57P01',
  '57P02',
  '57P03',
  // too_many_connections.
  '53300',
  // idle_in_transaction_session_timeout: the session was ended while its transaction waited.
  '25P03',
]);

/**
 * SQLite (the server's embedded store): another process, such as an import run by IT
 * staff beside the running server, held the file's write lock past busy_timeout.
 */
const sqliteBusyCodes = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** Connection exceptions, SQLSTATE class 08. */
const connectionExceptionClass = '08';

/** Socket errors of a server that cannot be reached or went away. */
const unreachableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres's own messages for a wait that ran out or a connection that is gone. */
const unavailableMessages = [
  // pg-pool: no pooled connection came free within connectionTimeoutMillis.
  /^timeout exceeded when trying to connect/,
  // pg-pool: a new connection was not made within connectionTimeoutMillis.
  /^Connection terminated due to connection timeout/,
  // pg: no answer within query_timeout.
  /^Query read timeout/,
  // pg: the connection ended under a query, or was already broken.
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
];

function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (unavailableStates.has(code) || unreachableSocketCodes.has(code) || sqliteBusyCodes.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && code.startsWith(connectionExceptionClass)) return true;
  }
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (error instanceof AggregateError && error.errors.some(isUnavailableError)) return true;
  return unavailableMessages.some((message) => message.test(error.message));
}

/** True when `error`, or an error it was caused by, says the database could not be used in time. */
export function isStoreUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    if (isUnavailableError(current)) return true;
  }
  return false;
}
