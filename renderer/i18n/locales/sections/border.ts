import type { SlavicSection } from '../slavic';

/** The border screen's texts in every language, side by side (English is the reference). */
const en = {
  title: 'Border',
} as const;

export const borderTexts = {
  en,
  'bs-Latn': { title: 'Border' } satisfies SlavicSection<typeof en>,
  hr: { title: 'Border' } satisfies SlavicSection<typeof en>,
  'sr-Latn': { title: 'Border' } satisfies SlavicSection<typeof en>,
};
