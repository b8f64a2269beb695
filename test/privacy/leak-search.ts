/**
 * Searches captured logs and console output for personal data and secrets: the
 * distinctive values a test seeded, in every form a log line may carry them.
 */

/** A value that must not be printed, and what it is (shown when it is found). */
export interface Needle {
  label: string;
  value: string;
  /** The MRZ form of a name ('SURNAME<<GIVEN<NAMES'), searched too when given. */
  mrz?: string;
}

/** Something a process printed or wrote: a stream, a file, a browser console. */
export interface CapturedText {
  /** Where it came from, as the failure names it: 'sync server stdout', a file path. */
  where: string;
  text: string;
  /** Labels of needles this source shows on purpose (a command that prints a credential once). */
  shownOnPurpose?: readonly string[];
}

export interface Leak {
  where: string;
  line: number;
  label: string;
  form: string;
  excerpt: string;
}

/** JSON.stringify with every character outside printable ASCII escaped as \uXXXX, as some serialisers write it. */
function asciiJson(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const inner = (json: string): string => json.slice(1, -1);

/**
 * The forms a value takes in text: as it is, JSON-escaped (once, with non-ASCII as \u
 * escapes, and twice, a JSON string inside a JSON string), and the MRZ form of a name.
 * Lower case: the search ignores case.
 */
export function needleForms(needle: Needle): { form: string; text: string }[] {
  const candidates = [
    { form: 'as is', text: needle.value },
    { form: 'JSON-escaped', text: inner(JSON.stringify(needle.value)) },
    { form: 'JSON-escaped, \\u for non-ASCII', text: inner(asciiJson(needle.value)) },
    { form: 'JSON-escaped twice', text: inner(JSON.stringify(inner(JSON.stringify(needle.value)))) },
    ...(needle.mrz ? [{ form: 'MRZ', text: needle.mrz }] : []),
  ];
  const seen = new Set<string>();
  return candidates
    .map(({ form, text }) => ({ form, text: text.toLowerCase() }))
    .filter(({ text }) => {
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
}

/** The MRZ name field: upper case, '<<' between surname and given names, '<' for every space or other filler. */
export function mrzName(surname: string, givenNames: string): string {
  const field = (part: string): string => part.toUpperCase().replace(/[^A-Z0-9]+/g, '<');
  return `${field(surname)}<<${field(givenNames)}`;
}

function excerptAround(line: string, at: number, length: number): string {
  const start = Math.max(0, at - 120);
  const end = Math.min(line.length, at + length + 120);
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
}

/** Every line of every source that holds a needle in any of its forms, case ignored. */
export function findLeaks(sources: readonly CapturedText[], needles: readonly Needle[]): Leak[] {
  // An empty value is in every line: a test that lost its secret must fail, not find it everywhere.
  const empty = needles.find((needle) => needle.value.trim() === '');
  if (empty) throw new Error(`The ${empty.label} to search for is empty.`);
  const searched = needles.map((needle) => ({ needle, forms: needleForms(needle) }));
  const leaks: Leak[] = [];
  for (const source of sources) {
    const lines = source.text.split(/\r\n|\r|\n/);
    lines.forEach((line, index) => {
      const lowered = line.toLowerCase();
      for (const { needle, forms } of searched) {
        if (source.shownOnPurpose?.includes(needle.label)) continue;
        const found = forms.find(({ text }) => lowered.includes(text));
        if (found) {
          leaks.push({ where: source.where, line: index + 1, label: needle.label, form: found.form, excerpt: excerptAround(line, lowered.indexOf(found.text), found.text.length) });
        }
      }
    });
  }
  return leaks;
}

/** A failure message that says where each leak is (the first `shown` of them, and how many more). */
export function describeLeaks(leaks: readonly Leak[], shown = 25): string {
  const listed = leaks.slice(0, shown).map((leak) => `${leak.where}, line ${leak.line}: the ${leak.label} (${leak.form})\n    ${leak.excerpt}`);
  return [...listed, ...(leaks.length > shown ? [`… and ${leaks.length - shown} more`] : [])].join('\n');
}
