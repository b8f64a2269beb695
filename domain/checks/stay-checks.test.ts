import { describe, expect, it } from 'vitest';
import { defaultRules } from '../rules';
import { exitStayChecks } from './stay-checks';

describe('the stay checks on exit', () => {
  it('reports an overstay with the days past the latest lawful exit', () => {
    expect(exitStayChecks({ stayBegan: '2025-11-10', latestLawfulExit: '2026-02-07', overstayDays: 31, anomalies: [] }, defaultRules)).toEqual([
      {
        check: 'STAY_OVERSTAY',
        severity: 'warning',
        explanation: 'Overstayed by 31 days: the stay began on 2025-11-10, the latest lawful exit under the 90/180 rule was 2026-02-07',
        facts: { stayBegan: '2025-11-10', latestLawfulExit: '2026-02-07', overstayDays: 31, maxDaysInWindow: 90, windowDays: 180 },
        suggestedRefusalReasons: [],
      },
    ]);
  });

  it('says when no day was left as the stay began', () => {
    const [result] = exitStayChecks({ stayBegan: '2026-03-01', latestLawfulExit: null, overstayDays: 4, anomalies: [] }, defaultRules);
    expect(result?.explanation).toContain('the day before 2026-03-01 (no day was left)');
    expect(result?.facts).toMatchObject({ latestLawfulExit: '' });
  });

  it('passes a stay within the rule, and names the gaps its count bridged', () => {
    const results = exitStayChecks(
      { stayBegan: '2026-03-01', latestLawfulExit: '2026-05-29', overstayDays: 0, anomalies: [{ code: 'EXIT_WITHOUT_ENTRY', day: '2026-03-01', message: 'Exit on 2026-03-01 has no entry recorded before it' }] },
      defaultRules,
    );
    expect(results.map((result) => [result.check, result.severity])).toEqual([
      ['STAY_NO_OVERSTAY', 'info'],
      ['STAY_RECORD_INCOMPLETE', 'warning'],
    ]);
    expect(results[1]?.facts).toEqual({ exitsWithoutEntry: '2026-03-01', entriesWithoutExit: '' });
  });
});
