import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App, MissingBridge } from './app/App';
import { connectBridge } from './bridge/connect';
import { createI18n, startingLocale } from './i18n/init';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const i18n = createI18n(startingLocale(localStorage, navigator.languages));
// Screen readers and the browser's hyphenation read the page in the language it is shown in.
const showLanguage = (language: string) => document.documentElement.setAttribute('lang', language);
showLanguage(i18n.language);
i18n.on('languageChanged', showLanguage);

const connection = connectBridge();
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>{connection.bridge ? <App bridge={connection.bridge} /> : <MissingBridge problem={connection.problem} />}</I18nextProvider>
  </StrictMode>,
);
