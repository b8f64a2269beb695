import type { SlavicSection } from '../slavic';

/** The registration screen's texts in every language, side by side (English is the reference). */
const en = {
  title: 'Registration',
} as const;

export const registrationTexts = {
  en,
  'bs-Latn': { title: 'Registration' } satisfies SlavicSection<typeof en>,
  hr: { title: 'Registration' } satisfies SlavicSection<typeof en>,
  'sr-Latn': { title: 'Registration' } satisfies SlavicSection<typeof en>,
};
