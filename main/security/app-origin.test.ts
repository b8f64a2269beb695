import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-origin';

describe('the app origin', () => {
  it.each(['app://mis/index.html', 'app://mis/', 'app://mis/registrations?x=1'])('trusts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each(['https://mis/index.html', 'app://mis.evil/index.html', 'app://evil/mis', 'file:///opt/mis/index.html', 'http://127.0.0.1:8420/', 'not a url', '', null, undefined])(
    'does not trust %s',
    (url) => {
      expect(isAppUrl(url)).toBe(false);
    },
  );
});
