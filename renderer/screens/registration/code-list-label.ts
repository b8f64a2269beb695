import type { RequestOutput } from '../../../main/api/types';
import { textToCyrillic, type Locale } from '../../i18n/resources';

type Labels = RequestOutput<'reference.codeLists'>['entries'][number]['labels'];

/**
 * A code list entry's label in the interface's language, else English (always there).
 * The lists carry no Bosnian Cyrillic: the Bosnian label is written in Cyrillic with the
 * same transliteration the interface's texts use; Serbian Cyrillic falls back the same way.
 */
export function codeListLabel(labels: Labels, locale: Locale): string {
  switch (locale) {
    case 'en':
      return labels.en;
    case 'bs-Latn':
      return labels.bs ?? labels.en;
    case 'bs-Cyrl':
      return labels.bs ? textToCyrillic(labels.bs) : labels.en;
    case 'hr':
      return labels.hr ?? labels.en;
    case 'sr-Latn':
      return labels.srLatn ?? labels.en;
    case 'sr-Cyrl':
      return labels.srCyrl ?? (labels.srLatn ? textToCyrillic(labels.srLatn) : labels.en);
  }
}
