/**
 * Waits for every promise, so that none is left running or unobserved when the caller
 * goes on or fails, then returns their results in order or throws the failure of the
 * first (in the order given) that failed.
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

/** settleAll for two promises of different types. */
export async function settleBoth<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await settleAll<unknown>([first, second]);
  return [a as A, b as B];
}
