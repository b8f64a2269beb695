import { describe, expect, it } from 'vitest';
import { entryChecks, exitStayChecks, type CheckResult, type EntryCheckInput, type TravelDocumentFacts } from '../../../domain/checks';
import { defaultRules } from '../../../domain/rules';
import type { PersonAlertKind, WatchlistCandidate } from '../../../domain/watchlist';
import { createI18n } from '../../i18n/init';
import { locales, type Locale } from '../../i18n/resources';
import { checkTitle, type CheckView } from './border-texts';
import { explainCheck } from './check-explanations';

// An invented traveller entering on St Nicholas' day; each case changes one thing.
const document: TravelDocumentFacts = {
  documentCode: 'P',
  issuingState: 'TUR',
  nationality: 'TUR',
  documentNumber: 'U12345678',
  surname: 'YILMAZ',
  givenNames: 'AYSE',
  birthDate: '1988-04-17',
  sex: 'F',
  expiryDate: '2030-01-31',
  issueDate: '2020-02-01',
  mrzValid: true,
};

type Change = Partial<EntryCheckInput> & { documentChange?: Partial<TravelDocumentFacts> };

function checks({ documentChange, ...rest }: Change = {}): CheckView[] {
  const input: EntryCheckInput = {
    document: { ...document, ...documentChange },
    plannedStay: { entryDate: '2026-12-06', plannedDepartureDate: '2026-12-16' },
    history: { crossings: [], refusals: [] },
    visa: { regimes: { TUR: 'visa-free', AFG: 'visa-required', BIH: 'visa-free' }, validVisaPresented: false },
    watchlistCandidates: [],
    ...rest,
  };
  return entryChecks(input).map(view);
}

function view(result: CheckResult): CheckView {
  const { check, severity, explanation, facts, suggestedRefusalReasons } = result;
  return { code: check, severity, explanation, facts, suggestedRefusalReasons, recorded: { check: 'test', severity: 'info', outcome: 'passed' } };
}

function find(views: readonly CheckView[], code: string): CheckView {
  const found = views.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} among ${views.map((candidate) => candidate.code).join(', ')}`);
  return found;
}

function explain(check: CheckView, locale: Locale): string {
  return explainCheck(check, createI18n(locale).t, locale);
}

const hit = (score: number, kind: PersonAlertKind): WatchlistCandidate => ({
  alert: { subject: 'person', alertId: 'BAN-17', kind, surname: 'YILMAZ', givenNames: 'AYSE' },
  score,
  reasons: [
    { code: 'SURNAME_EXACT', text: 'Surname YILMAZ as on the alert' },
    { code: 'GIVEN_NAMES_TYPO', text: 'Given names: 1 letter apart' },
    { code: 'BIRTH_DATE_EXACT', text: 'Date of birth 1988-04-17 as on the alert' },
    { code: 'NATIONALITY_SAME', text: 'Nationality TUR as on the alert' },
  ],
});

/** One example of every code the checks give, the domain's and main's own. */
const everyCheck: CheckView[] = [
  ...checks({ documentChange: { mrzValid: false, mrzFailures: ['compositeCheckDigit'], issueDate: undefined, birthDate: 'XXXX-XX-XX' } }),
  ...checks({ documentChange: { expiryDate: '2026-12-01', issueDate: '2014-01-01', nationality: 'AFG', birthDate: '2016-01-01' } }),
  ...checks({ documentChange: { expiryDate: '2027-01-01', nationality: 'RKS', birthDate: '2014' }, watchlistCandidates: [hit(0.95, 'entry-ban'), hit(0.7, 'wanted')] }),
  ...checks({ documentChange: { nationality: 'BIH' } }),
  ...checks({ visa: { regimes: { TUR: 'visa-required' }, validVisaPresented: true }, history: { crossings: [{ direction: 'entry', at: '2026-09-01' }], refusals: [{ at: '2026-10-01', reasons: ['C', 'F'], crossingPoint: 'BIH-E2E-09' }] } }),
  ...checks({ history: { crossings: [{ direction: 'entry', at: '2026-06-10' }, { direction: 'exit', at: '2026-09-08' }], refusals: [] }, plannedStay: { entryDate: '2026-12-06', plannedDepartureDate: '2027-01-20' } }),
  ...checks({ history: { crossings: [{ direction: 'entry', at: '2026-10-01' }, { direction: 'exit', at: '2026-12-01' }], refusals: [] }, plannedStay: { entryDate: '2026-12-06', plannedDepartureDate: '2027-02-20' } }),
  ...exitStayChecks({ stayBegan: '2026-08-08', latestLawfulExit: '2026-11-05', overstayDays: 31, anomalies: [] }, defaultRules).map(view),
  ...exitStayChecks({ stayBegan: '2026-03-01', latestLawfulExit: null, overstayDays: 4, anomalies: [] }, defaultRules).map(view),
  ...exitStayChecks(
    { stayBegan: '2026-12-06', latestLawfulExit: '2027-03-05', overstayDays: 0, anomalies: [{ code: 'EXIT_WITHOUT_ENTRY', day: '2026-12-06', message: 'Exit on 2026-12-06 has no entry recorded before it' }] },
    defaultRules,
  ).map(view),
  { code: 'WATCHLIST_CLEAR', severity: 'info', explanation: 'No alert …', facts: {}, suggestedRefusalReasons: [], recorded: { check: 'watchlist', severity: 'info', outcome: 'passed' } },
];

/** The facts that are codes or names (alert ids, nationalities, reason letters): shown as they are in every script. */
function withoutCodes(text: string, check: CheckView): string {
  const codes = Object.values(check.facts).flatMap((value) => (typeof value === 'string' ? value.split(',') : []));
  return codes.filter((code) => code !== '').reduce((rest, code) => rest.replaceAll(code, ''), text);
}

describe('check explanations in the officer\'s language', () => {
  it('has an example of every check code (the list above is complete)', () => {
    expect(new Set(everyCheck.map((check) => check.code)).size).toBe(23);
  });

  it.each(['bs-Latn', 'hr', 'sr-Latn'] as const)('words every check in %s, with no English sentence left', (locale) => {
    for (const check of everyCheck) {
      const text = explain(check, locale);
      expect({ code: check.code, english: text.match(/\b(the|of|and|is|was|days?|under|with|border\.\w+)\b/gi) }).toEqual({ code: check.code, english: null });
    }
  });

  it.each(['bs-Cyrl', 'sr-Cyrl'] as const)('words every check in %s in Cyrillic, codes and names aside', (locale) => {
    for (const check of everyCheck) {
      expect({ code: check.code, latin: withoutCodes(explain(check, locale), check).match(/[A-Za-zČĆĐŠŽčćđšž]+/g) }).toEqual({ code: check.code, latin: null });
    }
  });

  it.each(locales)('leaves no placeholder unfilled in %s', (locale) => {
    for (const check of everyCheck) expect({ code: check.code, text: explain(check, locale) }).not.toMatchObject({ text: expect.stringMatching(/\{\{|\}\}|undefined|NaN/) });
  });

  it.each(locales)('titles every check in %s with its numbers filled, the stay limit by the rules it was judged by', (locale) => {
    const { t } = createI18n(locale);
    for (const check of everyCheck) expect({ code: check.code, title: checkTitle(check.code, t, check.facts) }).not.toMatchObject({ title: expect.stringMatching(/\{\{|\}\}|undefined|NaN/) });
    // Judged by a station whose rules allow 60 days: the check's facts carry the numbers.
    const usedUp = find(everyCheck, 'STAY_LIMIT_USED_UP');
    const facts = { ...usedUp.facts, maxDaysInWindow: 60 };
    expect(checkTitle(usedUp.code, t, usedUp.facts)).toMatch(/90.*180/);
    expect(checkTitle(usedUp.code, t, facts)).toMatch(/60.*180/);
    if (locale === 'en') expect(checkTitle(usedUp.code, t, facts)).toBe('60 days in 180 used up');
  });

  it('writes the days used with the dates as the officer reads them', () => {
    const daysUsed = find(checks(), 'STAY_DAYS_USED');
    expect(explain(daysUsed, 'en')).toBe(
      '1 of 90 days used in the 180 days up to the entry on December 6, 2026 (entry day included). 79 days left on the planned departure on December 16, 2026; latest lawful exit March 5, 2027.',
    );
    expect(explain(daysUsed, 'sr-Cyrl')).toBe(
      'Искоришћен је 1 од 90 дана у 180 дана до уласка 6. децембар 2026. (рачунајући и дан уласка). На дан планираног одласка 16. децембар 2026. остаје још 79 дана; последњи законити излазак: 5. март 2027.',
    );
    expect(explain(daysUsed, 'hr')).toContain('6. prosinca 2026.');
  });

  it('counts with the plural forms of each language', () => {
    const twoDays = find(checks({ history: { crossings: [{ direction: 'entry', at: '2026-12-01' }, { direction: 'exit', at: '2026-12-01' }], refusals: [] } }), 'STAY_DAYS_USED');
    expect(explain(twoDays, 'bs-Latn')).toMatch(/^Iskorištena su 2 od 90 dana/);
    expect(explain(twoDays, 'en')).toMatch(/^2 of 90 days used/);
  });

  it('names the fields of a watchlist hit that agree with the alert, and what to do', () => {
    const views = checks({ watchlistCandidates: [hit(0.95, 'entry-ban')] });
    expect(explain(find(views, 'WATCHLIST_HIT'), 'en')).toBe(
      'Alert BAN-17 (entry ban), score 0.95: refuse entry. Agrees with the alert in: surname, given names, date of birth, and nationality.',
    );
    expect(explain(find(views, 'WATCHLIST_HIT'), 'hr')).toBe(
      'Upozorenje BAN-17 (zabrana ulaska), podudarnost 0,95: odbijte ulazak. Podudara se s upozorenjem: prezime, ime, datum rođenja i državljanstvo.',
    );
  });

  it('keeps the English explanation of a check it does not know', () => {
    const unknown: CheckView = { ...find(checks(), 'VISA_NOT_REQUIRED'), code: 'SOMETHING_NEW', explanation: 'A check added later' };
    expect(explain(unknown, 'sr-Cyrl')).toBe('A check added later');
  });
});
