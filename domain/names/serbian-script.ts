/**
 * Serbian Cyrillic ↔ Serbian Latin. The two alphabets map letter for letter except
 * that three Cyrillic letters are Latin digraphs (Љ LJ, Њ NJ, Џ DŽ), so going to
 * Cyrillic must read the digraph as one letter and coming back must choose its case
 * ("Lj" in Ljubica, "LJ" in LJUBICA) from the letters around it.
 */
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I',
  Ј: 'J', К: 'K', Л: 'L', Љ: 'LJ', М: 'M', Н: 'N', Њ: 'NJ', О: 'O', П: 'P', Р: 'R',
  С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'DŽ', Ш: 'Š',
};

const LATIN_TO_CYRILLIC: ReadonlyMap<string, string> = new Map(
  Object.entries(CYRILLIC_TO_LATIN).map(([cyrillic, latin]) => [latin, cyrillic]),
);

// Unicode also has single code points for the digraphs (Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ); some keyboards type them.
const DIGRAPH_CODE_POINTS: Readonly<Record<string, string>> = {
  Ǆ: 'DŽ', ǅ: 'Dž', ǆ: 'dž', Ǉ: 'LJ', ǈ: 'Lj', ǉ: 'lj', Ǌ: 'NJ', ǋ: 'Nj', ǌ: 'nj',
};

const SERBIAN_CYRILLIC_LETTERS = new Set(
  Object.keys(CYRILLIC_TO_LATIN).flatMap((letter) => [letter, letter.toLowerCase()]),
);

/** True when every Cyrillic letter of the word belongs to the Serbian alphabet. */
export function isSerbianCyrillicWord(word: string): boolean {
  for (const ch of word) {
    if (isCyrillic(ch) && !SERBIAN_CYRILLIC_LETTERS.has(ch)) return false;
  }
  return true;
}

export function isCyrillic(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x0400 && code <= 0x052f;
}

function isUpperLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase();
}

function isLowerLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toUpperCase();
}

/** Latin text in the Serbian alphabet to Serbian Cyrillic; other characters pass unchanged. */
export function latinToSerbianCyrillic(text: string): string {
  const chars = [...text.normalize('NFC')].flatMap((ch) => [...(DIGRAPH_CODE_POINTS[ch] ?? ch)]);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const next = chars[i + 1];
    // A digraph is one letter only in its three spellings LJ, Lj, lj: "lJ" is not a word form.
    if (next !== undefined && /^[LlNnDd]$/.test(ch)) {
      const pair = ch + next;
      const upperPair = pair.toUpperCase();
      if ((upperPair === 'LJ' || upperPair === 'NJ' || upperPair === 'DŽ') && !(isLowerLetter(ch) && isUpperLetter(next))) {
        const cyrillic = LATIN_TO_CYRILLIC.get(upperPair) ?? pair;
        out += isLowerLetter(ch) ? cyrillic.toLowerCase() : cyrillic;
        i++;
        continue;
      }
    }
    const upper = ch.toUpperCase();
    const cyrillic = LATIN_TO_CYRILLIC.get(upper);
    if (cyrillic === undefined) out += ch;
    else out += isLowerLetter(ch) ? cyrillic.toLowerCase() : cyrillic;
  }
  return out;
}

/** Serbian Cyrillic text to Serbian Latin; other characters pass unchanged. */
export function serbianCyrillicToLatin(text: string): string {
  const chars = [...text.normalize('NFC')];
  const hasLowerCase = chars.some(isLowerLetter);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const upper = ch.toUpperCase();
    const latin = CYRILLIC_TO_LATIN[upper];
    if (latin === undefined) {
      out += ch;
    } else if (isLowerLetter(ch)) {
      out += latin.toLowerCase();
    } else if (latin.length === 1) {
      out += latin;
    } else {
      out += digraphCase(latin, chars[i - 1], chars[i + 1], hasLowerCase);
    }
  }
  return out;
}

/** "LJ" inside capitals, "Lj" at the start of a capitalised word. */
function digraphCase(digraph: string, previous: string | undefined, next: string | undefined, textHasLowerCase: boolean): string {
  const title = digraph.charAt(0) + digraph.slice(1).toLowerCase();
  if (isUpperLetter(next)) return digraph;
  if (isLowerLetter(next)) return title;
  if (isUpperLetter(previous)) return digraph;
  if (isLowerLetter(previous)) return title;
  // A one-letter word: follow the rest of the text.
  return textHasLowerCase ? title : digraph;
}
