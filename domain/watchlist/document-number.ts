/**
 * Document numbers as printed, typed and read: "AB 123 456", "ab123456", "AB123456<<"
 * are one number.
 */
export function normaliseDocumentNumber(number: string): string {
  return number.toUpperCase().replace(/[\s<\-./]/g, '');
}

// The misreads readers make in numeric fields (DOMAIN notes): 0/O, 1/I, 2/Z, 5/S, 8/B.
const MISREADS: Readonly<Record<string, string>> = { O: '0', I: '1', Z: '2', S: '5', B: '8' };

/**
 * One key for every reading a reader could have made of a number: letters that look
 * like digits become the digits. Used to find a misread number, never to store one.
 */
export function misreadKey(normalisedNumber: string): string {
  return normalisedNumber.replace(/[OIZSB]/g, (ch) => MISREADS[ch] ?? ch);
}
