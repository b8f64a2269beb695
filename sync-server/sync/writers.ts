/** Who wrote a state on the server, as the repository keeps it. */
export function stationWriter(stationId: string): string {
  return `station:${stationId}`;
}

/** The server's own writes: imports of reference data and central corrections. */
export const CENTRAL_WRITER = 'central';
