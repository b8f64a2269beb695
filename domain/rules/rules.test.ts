import { describe, expect, it } from 'vitest';
import { RULES_LIST, RulesError, defaultRules, loadRules, rulesInForce, rulesSchema } from './rules';

describe('rules configuration', () => {
  it('holds the numbers of the law by default', () => {
    expect(defaultRules.shortStay).toEqual({ maxDaysInWindow: 90, windowDays: 180 });
    expect(defaultRules.registration).toEqual({ commercialDeadlineHours: 12, privateDeadlineHours: 48, privateExemptMaxDays: 3 });
    expect(defaultRules.addressChange).toEqual({ temporaryResidenceHours: 48, permanentResidenceDays: 8 });
    expect(defaultRules.travelDocument).toEqual({ validMonthsAfterDeparture: 3, issuedWithinYears: 10 });
    expect(defaultRules.fingerprints.exemptUnderAge).toBe(12);
    expect(defaultRules.retention).toEqual({ accommodationRegisterYears: 3, borderRecordYears: 3, overstayerRecordYears: 5 });
  });

  it('passes its own schema', () => {
    expect(rulesSchema.safeParse(defaultRules).success).toBe(true);
  });

  it('cannot be changed by a caller', () => {
    expect(() => {
      (defaultRules.shortStay as { maxDaysInWindow: number }).maxDaysInWindow = 120;
    }).toThrow(TypeError);
  });

  it('applies a station override field by field, keeping the rest', () => {
    const rules = loadRules({ registration: { commercialDeadlineHours: 24 } });
    expect(rules.registration).toEqual({ commercialDeadlineHours: 24, privateDeadlineHours: 48, privateExemptMaxDays: 3 });
    expect(rules.shortStay).toEqual(defaultRules.shortStay);
  });

  it('loads no overrides as the defaults', () => {
    expect(loadRules({})).toEqual(defaultRules);
  });

  it.each([
    ['an unknown section', { visas: { days: 3 } }],
    ['an unknown field', { shortStay: { days: 90 } }],
    ['a negative number', { registration: { commercialDeadlineHours: -1 } }],
    ['a fraction of a day', { shortStay: { windowDays: 180.5 } }],
    ['a limit longer than its window', { shortStay: { maxDaysInWindow: 200 } }],
    ['a hit threshold below the candidate threshold', { watchlist: { hitThreshold: 0.5 } }],
    ['not an object', 'strict'],
  ])('refuses %s with RULES_INVALID', (_what, overrides) => {
    expect(() => loadRules(overrides)).toThrow(RulesError);
    expect(() => loadRules(overrides)).toThrow(expect.objectContaining({ code: 'RULES_INVALID', issues: expect.arrayContaining([expect.any(String)]) }));
  });
});

describe('the rules in force on a day, from the rules code list', () => {
  const entry = (code: string, extra: unknown, validFrom?: string, validUntil?: string) => ({ list: RULES_LIST, code, extra, validFrom, validUntil });

  it('are the defaults without an entry in force', () => {
    expect(rulesInForce([], '2027-01-01')).toEqual({ rules: defaultRules, entry: null, problem: null });
    expect(rulesInForce([entry('2028', { shortStay: { maxDaysInWindow: 60 } }, '2028-01-01')], '2027-12-31')).toEqual({ rules: defaultRules, entry: null, problem: null });
    // Other lists say nothing about the rules.
    expect(rulesInForce([{ list: 'purposes', code: 'x', extra: { shortStay: { maxDaysInWindow: 1 } } }], '2027-01-01').entry).toBeNull();
  });

  it('take the overrides of the entry that took effect last', () => {
    const entries = [entry('base', { registration: { commercialDeadlineHours: 24 } }), entry('2027', { shortStay: { maxDaysInWindow: 60 } }, '2027-01-01'), entry('2026', { shortStay: { maxDaysInWindow: 80 } }, '2026-06-01')];
    expect(rulesInForce(entries, '2026-01-01')).toMatchObject({ entry: 'base', rules: { registration: { commercialDeadlineHours: 24 }, shortStay: { maxDaysInWindow: 90 } } });
    expect(rulesInForce(entries, '2026-12-31')).toMatchObject({ entry: '2026', rules: { registration: { commercialDeadlineHours: 12 }, shortStay: { maxDaysInWindow: 80 } } });
    expect(rulesInForce(entries, '2027-01-01')).toMatchObject({ entry: '2027', rules: { shortStay: { maxDaysInWindow: 60, windowDays: 180 } }, problem: null });
    // Over another base (the server's rules file), what the entry does not name stays the base's.
    const base = loadRules({ retention: { borderRecordYears: 7 } });
    expect(rulesInForce(entries, '2027-01-01', base).rules).toMatchObject({ shortStay: { maxDaysInWindow: 60 }, retention: { borderRecordYears: 7 } });
    expect(rulesInForce([], '2027-01-01', base).rules).toBe(base);
    // An entry that has ended leaves the one before it.
    expect(rulesInForce([...entries, entry('ended', { shortStay: { maxDaysInWindow: 30 } }, '2027-02-01', '2027-02-28')], '2027-03-01').entry).toBe('2027');
  });

  it('leave the defaults in force, saying why, when the entry in force cannot be loaded', () => {
    const found = rulesInForce([entry('2026', { shortStay: { maxDaysInWindow: 80 } }), entry('2027', { shortStay: { maxDaysInWindow: 60 }, newSection: { x: 1 } }, '2027-01-01')], '2027-06-01');
    expect(found.rules).toBe(defaultRules);
    expect(found.entry).toBe('2027');
    expect(found.problem).toMatch(/2027.*newSection/);
  });
});
