import { describe, expect, it } from 'vitest';
import { TimeError } from './errors';
import { addHours, instantMs, isoInstant } from './instant';

describe('instants', () => {
  it('reads a timestamp with its offset as the same moment everywhere', () => {
    expect(instantMs('2026-03-01T14:00:00+01:00')).toBe(instantMs('2026-03-01T13:00:00Z'));
  });

  it.each(['2026-03-01T14:00:00', '2026-03-01', 'yesterday', '2026-03-01T25:00:00Z'])('rejects %j', (at) => {
    expect(() => instantMs(at)).toThrow(TimeError);
  });

  it('adds hours across a summer-time change without losing one', () => {
    expect(addHours('2026-03-28T12:00:00+01:00', 48)).toBe('2026-03-30T11:00:00.000Z');
  });

  it('writes instants in UTC', () => {
    expect(isoInstant(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
