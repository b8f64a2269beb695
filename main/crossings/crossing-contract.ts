import type { RequestEntries } from '../api/contract';
import {
  captureFingerInput,
  captureFingerOutput,
  correctCrossingInput,
  crossingIdInput,
  crossingRecordView,
  prepareCrossingInput,
  prepareCrossingOutput,
  recordCrossingInput,
  recordCrossingOutput,
} from './crossing-schemas';

/** The crossings workflow's requests (spread into main/api/contract.ts). */
export const crossingRequests = {
  /** Reads a document and runs every border check for an entry or exit; saves nothing; audited (person.lookup, counts only). */
  'crossings.prepare': { role: 'officer', input: prepareCrossingInput, output: prepareCrossingOutput },
  /** Takes one finger on a scanner and keeps the capture in main for crossings.record; audited (fingerprint.capture). */
  'crossings.captureFinger': { role: 'officer', input: captureFingerInput, output: captureFingerOutput },
  /** Records an admission or a refusal (reasons A–I) with the checks and fingerprints; answers once on disk; audited (crossing.create). */
  'crossings.record': { role: 'officer', input: recordCrossingInput, output: recordCrossingOutput },
  /** Opens a border record with its fingerprints and corrections; audited (crossing.view). */
  'crossings.get': { role: 'officer', input: crossingIdInput, output: crossingRecordView },
  /** Corrects a border record: a new record that names the one it corrects; audited (crossing.correct). */
  'crossings.correct': { role: 'officer', input: correctCrossingInput, output: crossingRecordView },
} as const satisfies RequestEntries;
