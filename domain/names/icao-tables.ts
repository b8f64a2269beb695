/**
 * Transliteration tables after ICAO Doc 9303 Part 3 (section 6), written out here
 * because no maintained package carries them. Each letter maps to its readings, the
 * recommended one first; the others are readings that documents in circulation use
 * (Ä as A, Đ as D or DJ, Ukrainian Г as H, ...). Tables hold upper-case letters only;
 * upper-casing already turns ß into SS and the dotless ı into I.
 */

/**
 * Latin letters whose reading is not simply the base letter without its marks. Every
 * other accented letter (Á, Č, Ć, Š, Ž, Ş, Ő, ...) is read as its base letter.
 */
export const LATIN_READINGS: Readonly<Record<string, readonly string[]>> = {
  Ä: ['AE', 'A'],
  Å: ['AA', 'A'],
  Æ: ['AE'],
  Ö: ['OE', 'O'],
  Ø: ['OE', 'O'],
  Œ: ['OE'],
  Ü: ['UE', 'U'],
  ẞ: ['SS'],
  Þ: ['TH'],
  // ICAO reads Đ as D; passports of BiH, Serbia and Montenegro print DJ.
  Đ: ['DJ', 'D'],
  Ð: ['D'],
  Ħ: ['H'],
  Ł: ['L'],
  Ŀ: ['L'],
  Ŋ: ['N'],
  Ŧ: ['T'],
  Ĳ: ['IJ'],
};

/**
 * Cyrillic letters outside the Serbian alphabet (Russian, Ukrainian, Belarusian,
 * Bulgarian, Macedonian). Serbian words are first written in Serbian Latin instead,
 * since that is how BiH officers and documents spell them.
 */
export const CYRILLIC_READINGS: Readonly<Record<string, readonly string[]>> = {
  А: ['A'], Б: ['B'], В: ['V'],
  // Ukrainian and Belarusian read Г as H.
  Г: ['G', 'H'], Ґ: ['G'], Д: ['D'], Ђ: ['D'], Ѓ: ['G'],
  Е: ['E'],
  // Belarusian reads Ё as IO.
  Ё: ['E', 'IO'], Є: ['IE'], Ж: ['ZH'], З: ['Z'], Ѕ: ['DZ'],
  // Ukrainian reads И as Y.
  И: ['I', 'Y'], І: ['I'], Ї: ['I'], Й: ['I'], Ј: ['J'], К: ['K'], Ќ: ['K'],
  Л: ['L'], Љ: ['LJ'], М: ['M'], Н: ['N'], Њ: ['NJ'], О: ['O'], П: ['P'], Р: ['R'],
  С: ['S'], Т: ['T'], Ћ: ['C'], У: ['U'], Ў: ['U'], Ф: ['F'], Х: ['KH'], Ц: ['TS'],
  Ч: ['CH'], Џ: ['DZ'], Ш: ['SH'],
  // Bulgarian reads Щ as SHT and Ъ as A.
  Щ: ['SHCH', 'SHT'], Ъ: ['IE', 'A'], Ы: ['Y'], Ь: [''], Э: ['E'], Ю: ['IU'], Я: ['IA'],
};
