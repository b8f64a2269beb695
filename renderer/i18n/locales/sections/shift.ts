import type { SlavicSection } from '../slavic';

/** The shift screen's texts in every language, side by side (English is the reference). */
const en = {
  title: 'Shift',
} as const;

export const shiftTexts = {
  en,
  'bs-Latn': { title: 'Shift' } satisfies SlavicSection<typeof en>,
  hr: { title: 'Shift' } satisfies SlavicSection<typeof en>,
  'sr-Latn': { title: 'Shift' } satisfies SlavicSection<typeof en>,
};
