import type { CheckResult, VisaFacts } from './entry-check-types';

export function visaChecks(nationality: string, visa: VisaFacts): CheckResult[] {
  const regime = visa.regimes[nationality];
  const facts = { nationality };
  if (regime === undefined) {
    return [
      {
        check: 'VISA_REGIME_UNKNOWN',
        severity: 'warning',
        explanation: `Nationality ${nationality} is not in the visa code list: check the visa requirement by hand`,
        facts,
        suggestedRefusalReasons: [],
      },
    ];
  }
  if (regime === 'visa-free') {
    return [{ check: 'VISA_NOT_REQUIRED', severity: 'info', explanation: `Nationals of ${nationality} need no visa for a short stay`, facts, suggestedRefusalReasons: [] }];
  }
  if (visa.validVisaPresented) {
    return [{ check: 'VISA_PRESENTED', severity: 'info', explanation: `Nationals of ${nationality} need a visa; a valid visa or residence permit was presented`, facts, suggestedRefusalReasons: [] }];
  }
  return [
    {
      check: 'VISA_REQUIRED',
      severity: 'block',
      explanation: `Nationals of ${nationality} need a visa or residence permit; none valid was presented`,
      facts,
      suggestedRefusalReasons: ['C'],
    },
  ];
}
