import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { rememberLocale, useLocale } from '../i18n/init';
import { isLocale, localeNames, locales } from '../i18n/resources';

/** A plain labelled <select>: the keyboard and screen readers already know how to use it. */
export function LanguageSwitcher({ testId = 'language-select' }: { testId?: string }) {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const id = useId();
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('app.language')}</label>
      <select
        id={id}
        data-testid={testId}
        value={locale}
        onChange={(event) => {
          const chosen = event.target.value;
          if (!isLocale(chosen)) return;
          rememberLocale(localStorage, chosen);
          void i18n.changeLanguage(chosen);
        }}
      >
        {locales.map((option) => (
          <option key={option} value={option} lang={option}>
            {localeNames[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
