import { describe, expect, it } from 'vitest';
import { defaultRules, loadRules } from '../../../domain/rules';
import { deadlineIfSavedNow, emptyForm } from './registration-form';

describe('the deadline shown while the form is filled', () => {
  it("follows the station's rules, as main will judge the registration", () => {
    const arrived = new Date('2026-03-10T08:00').getTime();
    const form = { ...emptyForm(arrived, null), plannedDepartureDate: '2026-03-15' };
    const fourteenHoursLater = arrived + 14 * 3_600_000;
    expect(deadlineIfSavedNow(form, fourteenHoursLater, defaultRules)).toMatchObject({ required: true, status: 'registered-late', minutesLate: 120 });
    const dayToRegister = loadRules({ registration: { commercialDeadlineHours: 24 } });
    expect(deadlineIfSavedNow(form, fourteenHoursLater, dayToRegister)).toMatchObject({ required: true, status: 'registered-on-time', minutesLate: 0 });
    expect(deadlineIfSavedNow({ ...form, plannedDepartureDate: '' }, fourteenHoursLater, defaultRules)).toBeNull();
  });
});
