import { latinToSerbianCyrillic } from '../../domain/names/serbian-script';
import { bsLatn } from './locales/bs-Latn';
import { en } from './locales/en';
import { hr } from './locales/hr';
import { srLatn } from './locales/sr-Latn';

/** The interface languages, as BCP 47 tags: Intl (plural rules, dates) and i18next both read them. */
export const locales = ['en', 'bs-Latn', 'bs-Cyrl', 'hr', 'sr-Latn', 'sr-Cyrl'] as const;
export type Locale = (typeof locales)[number];

export type Resource = Readonly<Record<string, Readonly<Record<string, string>>>>;

// {{name}} is filled in by i18next and `npm run start:web` is typed by the officer: neither is words to transliterate.
const untouchable = /(\{\{[^}]*\}\}|`[^`]*`)/;

/** One text in Cyrillic, with its placeholders and code left as they are. */
export function textToCyrillic(latin: string): string {
  return latin
    .split(untouchable)
    .map((part, index) => (index % 2 === 1 ? part : latinToSerbianCyrillic(part)))
    .join('');
}

/**
 * The Cyrillic resources are made from the Latin ones when the bundle loads, with the same
 * transliteration the name search uses, so the two scripts cannot drift apart.
 */
export function resourceToCyrillic(latin: Resource): Resource {
  return Object.fromEntries(
    Object.entries(latin).map(([section, texts]) => [section, Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, textToCyrillic(text)]))]),
  );
}

export const resources: Readonly<Record<Locale, Resource>> = {
  en,
  'bs-Latn': bsLatn,
  'bs-Cyrl': resourceToCyrillic(bsLatn),
  hr,
  'sr-Latn': srLatn,
  'sr-Cyrl': resourceToCyrillic(srLatn),
};

/** Each language named in itself, so an officer finds their own in the switcher whatever is shown now. */
export const localeNames: Readonly<Record<Locale, string>> = {
  en: 'English',
  'bs-Latn': 'Bosanski (latinica)',
  'bs-Cyrl': textToCyrillic('Bosanski (ćirilica)'),
  hr: 'Hrvatski',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': textToCyrillic('Srpski (ćirilica)'),
};

export function isLocale(tag: string): tag is Locale {
  return (locales as readonly string[]).includes(tag);
}

/**
 * The first of the browser's languages that we have, matched on language and script
 * (sr and sr-RS mean Cyrillic, sr-Latn-RS Latin, bs and hr Latin), else English.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    let wanted: Intl.Locale;
    try {
      wanted = new Intl.Locale(tag).maximize();
    } catch (error) {
      if (error instanceof RangeError) continue; // a malformed tag from the browser is no preference
      throw error;
    }
    const match = locales.find((locale) => {
      const ours = new Intl.Locale(locale).maximize();
      return ours.language === wanted.language && ours.script === wanted.script;
    });
    if (match) return match;
  }
  return 'en';
}
