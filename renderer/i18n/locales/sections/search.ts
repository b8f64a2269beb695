import type { SlavicSection } from '../slavic';

/** The search screen's texts in every language, side by side (English is the reference). */
const en = {
  title: 'Search',
} as const;

export const searchTexts = {
  en,
  'bs-Latn': { title: 'Search' } satisfies SlavicSection<typeof en>,
  hr: { title: 'Search' } satisfies SlavicSection<typeof en>,
  'sr-Latn': { title: 'Search' } satisfies SlavicSection<typeof en>,
};
