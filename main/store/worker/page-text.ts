const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The text of each object in the top-level `documents` array of a sync server page
 * (`{"documents":[{...},{...}],"checkpoint":...}`), as the server wrote it, or null when
 * the page does not have that shape. An initial pull stores each document as the server
 * sent it, with the storage fields added at its end, instead of writing the JSON of every
 * document again: scanning the page costs a small part of that.
 *
 * The text must be valid JSON (the caller has parsed it); the scan only follows strings
 * and nesting. Callers check that the count matches the parsed documents.
 */
export function documentTexts(json: string): string[] | null {
  const texts: string[] = [];
  let depth = 0;
  /** The last string seen at depth 1: the key of the value that follows. */
  let key: string | null = null;
  let inDocuments = false;
  let sawDocuments = false;
  let elementStart = -1;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    // Between the documents, only objects, commas and whitespace.
    if (inDocuments && depth === 2 && c !== OPEN_OBJECT && c !== CLOSE_ARRAY && c !== COMMA && !isWhitespace(c)) return null;
    if (c === QUOTE) {
      const start = i;
      i = closingQuote(json, i);
      if (i < 0) return null;
      if (depth === 1) key = json.slice(start + 1, i);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === 1 && c === OPEN_ARRAY && key === 'documents' && !sawDocuments) {
        inDocuments = true;
        sawDocuments = true;
      } else if (inDocuments && depth === 2) {
        elementStart = i;
      }
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (inDocuments && depth === 2) texts.push(json.slice(elementStart, i + 1));
      else if (inDocuments && depth === 1) inDocuments = false;
    }
  }
  return sawDocuments && depth === 0 ? texts : null;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(json: string, open: number): number {
  let at = json.indexOf('"', open + 1);
  while (at > 0) {
    // A quote is escaped when an odd number of backslashes comes before it.
    let backslashes = 0;
    while (json.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = json.indexOf('"', at + 1);
  }
  return -1;
}
