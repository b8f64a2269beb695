/** Written by the registration screen's work: from the last byte of a serial scan to the filled form. */
export async function benchScanToForm(): Promise<void> {
  throw new Error('not written yet');
}
