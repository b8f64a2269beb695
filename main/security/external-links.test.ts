import { describe, expect, it } from 'vitest';
import { browserLinkTarget } from './external-links';

describe('links opened in the browser', () => {
  it.each([
    ['https://mis.example.ba/help', 'https://mis.example.ba/help'],
    ['  https://mis.example.ba/help?q=1#top', 'https://mis.example.ba/help?q=1#top'],
    ['HTTPS://MIS.EXAMPLE.BA', 'https://mis.example.ba/'],
  ])('opens %s as %s', (url, target) => {
    expect(browserLinkTarget(url)).toBe(target);
  });

  it.each([
    'http://mis.example.ba/help',
    'file:///C:/Windows/System32/calc.exe',
    'smb://attacker.example/share/run.exe',
    'ms-msdt:/id PCWDiagnostic',
    'javascript:alert(1)',
    'app://mis/index.html',
    'https://mis.example.ba@attacker.example/',
    'https://user:secret@mis.example.ba/',
    '//attacker.example/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(browserLinkTarget(url)).toBeNull();
  });
});
