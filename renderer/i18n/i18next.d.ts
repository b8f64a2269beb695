import type { en } from './locales/en';

// t('…') takes only keys English has, so a typo is a red typecheck before it is a red test.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
