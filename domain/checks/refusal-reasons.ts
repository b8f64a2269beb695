/**
 * Reason codes of the standard refusal-of-entry form (Schengen Borders Code, Annex V
 * Part B), which BiH border police use as well. Several can apply at once.
 */
export const refusalReasons = [
  { code: 'A', text: 'has no valid travel document' },
  { code: 'B', text: 'has a false, counterfeit or forged travel document' },
  { code: 'C', text: 'has no valid visa or residence permit' },
  { code: 'D', text: 'has a false, counterfeit or forged visa or residence permit' },
  { code: 'E', text: 'has no documents justifying the purpose and conditions of stay' },
  { code: 'F', text: 'has already stayed 90 days during the current 180-day period' },
  { code: 'G', text: 'does not have sufficient means of subsistence' },
  { code: 'H', text: 'is a person for whom an alert has been issued for the purposes of refusing entry' },
  { code: 'I', text: 'is considered a threat to public policy, internal security, public health or international relations' },
] as const;

export type RefusalReasonCode = (typeof refusalReasons)[number]['code'];
