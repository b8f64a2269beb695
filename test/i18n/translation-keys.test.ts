import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { locales, resources, type Resource } from '../../renderer/i18n/resources';

const rendererDir = join(process.cwd(), 'renderer');
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

interface TranslationCall {
  where: string;
  key: string | null; // null: the key is not a string literal, so no scan could check it
}

/**
 * Every t(…) and i18n.t(…) call of the renderer, found by parsing the source with the
 * TypeScript compiler rather than by a regular expression, so line breaks, template
 * strings and nested calls cannot hide one.
 */
function translationCalls(): TranslationCall[] {
  const calls: TranslationCall[] = [];
  for (const file of sourceFiles(rendererDir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
        if (name === 't') {
          const [first] = node.arguments;
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          calls.push({ where: `${relative(process.cwd(), file)}:${line + 1}`, key: first && ts.isStringLiteralLike(first) ? first.text : null });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

function flatKeys(resource: Resource): string[] {
  return Object.entries(resource).flatMap(([section, texts]) => Object.keys(texts).map((key) => `${section}.${key}`));
}

function text(resource: Resource, key: string): string | undefined {
  const [section = '', name = ''] = key.split('.');
  return resource[section]?.[name];
}

const baseKeys = (resource: Resource) => [...new Set(flatKeys(resource).map((key) => key.replace(pluralSuffix, '')))].sort();
const placeholders = (value: string) => [...value.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1]).sort();

describe('translation keys', () => {
  const calls = translationCalls();

  it('finds the translated texts of the renderer (the scan itself works)', () => {
    expect(calls.length).toBeGreaterThan(40);
    expect(calls.map((call) => call.key)).toContain('login.title');
  });

  it('uses only string literals as keys, so every key can be checked', () => {
    expect(calls.filter((call) => call.key === null).map((call) => call.where)).toEqual([]);
  });

  it.each(locales)('has every key the renderer uses in %s', (locale) => {
    const missing = calls.filter(({ key }) => key !== null && text(resources[locale], key) === undefined && !flatKeys(resources[locale]).some((known) => known.replace(pluralSuffix, '') === key));
    expect(missing.map(({ key, where }) => `${key} (${where})`)).toEqual([]);
  });

  it('uses every key English has (no dead texts)', () => {
    const used = new Set(calls.map((call) => call.key));
    expect(baseKeys(resources.en).filter((key) => !used.has(key))).toEqual([]);
  });

  it.each(locales)('has exactly the keys English has in %s, no more and no fewer', (locale) => {
    expect(baseKeys(resources[locale])).toEqual(baseKeys(resources.en));
  });

  it.each(locales)('has exactly the plural forms %s needs (Intl.PluralRules)', (locale) => {
    const categories = [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();
    const pluralBases = [...new Set(flatKeys(resources[locale]).filter((key) => pluralSuffix.test(key)).map((key) => key.replace(pluralSuffix, '')))];
    expect(pluralBases.length).toBeGreaterThan(0);
    for (const base of pluralBases) {
      const forms = flatKeys(resources[locale])
        .filter((key) => key.replace(pluralSuffix, '') === base && pluralSuffix.test(key))
        .map((key) => pluralSuffix.exec(key)?.[1])
        .sort();
      expect({ base, forms }).toEqual({ base, forms: categories });
    }
  });

  it.each(locales)('keeps the placeholders of English in every text of %s', (locale) => {
    for (const key of flatKeys(resources[locale])) {
      const english = text(resources.en, key) ?? text(resources.en, key.replace(pluralSuffix, '_other')) ?? '';
      expect({ key, placeholders: placeholders(text(resources[locale], key) ?? '') }).toEqual({ key, placeholders: placeholders(english) });
    }
  });
});
