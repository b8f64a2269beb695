import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './unavailable';

/** An error as node-postgres gives one from the server: a message and a SQLSTATE code. */
function databaseError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isStoreUnavailable', () => {
  it('knows a wait that ran out: for a pooled connection, for a new one, for an answer, for a statement', () => {
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isStoreUnavailable(new Error('Query read timeout'))).toBe(true);
    expect(isStoreUnavailable(databaseError('canceling statement due to statement timeout', '57014'))).toBe(true);
    expect(isStoreUnavailable(databaseError('canceling statement due to lock timeout', '55P03'))).toBe(true);
  });

  it('knows a database that is gone, stopping or full', () => {
    expect(isStoreUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(databaseError('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isStoreUnavailable(databaseError('the database system is starting up', '57P03'))).toBe(true);
    expect(isStoreUnavailable(databaseError('sorry, too many clients already', '53300'))).toBe(true);
    expect(isStoreUnavailable(databaseError('connection failure', '08006'))).toBe(true);
  });

  it('knows an embedded SQLite file whose write lock another process held past busy_timeout', () => {
    expect(isStoreUnavailable(databaseError('database is locked', 'SQLITE_BUSY'))).toBe(true);
    expect(isStoreUnavailable(databaseError('database table is locked', 'SQLITE_LOCKED'))).toBe(true);
    expect(isStoreUnavailable(databaseError('UNIQUE constraint failed: records.id', 'SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
  });

  it('looks through the causes of an error that wraps one', () => {
    const wrapped = new Error('The sync store could not be opened', { cause: new Error('timeout exceeded when trying to connect') });
    expect(isStoreUnavailable(wrapped)).toBe(true);
  });

  it("leaves other errors alone: they are the request's or a bug", () => {
    expect(isStoreUnavailable(databaseError('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isStoreUnavailable(databaseError('deadlock detected', '40P01'))).toBe(false);
    expect(isStoreUnavailable(Object.assign(new Error('Body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }))).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is not a function'))).toBe(false);
    expect(isStoreUnavailable('timeout exceeded when trying to connect')).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});
