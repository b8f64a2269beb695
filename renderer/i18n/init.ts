import i18next, { type i18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { isLocale, locales, pickLocale, resources, type Locale } from './resources';

/** Where the officer's choice of language and script is remembered on this station. */
const storageKey = 'mis.language';

/**
 * One i18next instance with every resource bundled: the station works offline, so no
 * backend ever fetches a translation. Initialised synchronously, so the first render is
 * already in the right language.
 */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...locales],
    resources: Object.fromEntries(Object.entries(resources).map(([lng, translation]) => [lng, { translation }])),
    initAsync: false,
    // React escapes what it renders; escaping here too would show &amp; to the officer.
    interpolation: { escapeValue: false },
  });
  return instance;
}

/** The remembered choice if there is one, else the browser's language if we have it, else English. */
export function startingLocale(storage: Pick<Storage, 'getItem'>, browserLanguages: readonly string[]): Locale {
  const remembered = storage.getItem(storageKey);
  if (remembered !== null && isLocale(remembered)) return remembered;
  return pickLocale(browserLanguages);
}

export function rememberLocale(storage: Pick<Storage, 'setItem'>, locale: Locale): void {
  storage.setItem(storageKey, locale);
}

/** The language the interface is in now, for Intl formatting. */
export function useLocale(): Locale {
  const { i18n: instance } = useTranslation();
  return isLocale(instance.language) ? instance.language : 'en';
}
