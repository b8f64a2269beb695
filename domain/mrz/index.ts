/**
 * The MRZ engine: reads ICAO 9303 machine readable zones (TD1, TD2, TD3,
 * MRV-A, MRV-B) with check digits, OCR correction and tolerant input, and
 * lays documents out as zones for synthetic data and simulators.
 */
export { parseMrz } from './parse';
export { buildMrz } from './build';
export type { MrzBuildError, MrzBuildErrorCode, MrzBuildInput, MrzBuildResult } from './build';
export { computeCheckDigit } from './checkDigit';
export { lookupStateCode } from './stateCodes';
export type { StateCode, StateCodeKind } from './stateCodes';
export { syntheticMrzDocuments } from './synthetic';
export type { SyntheticOptions } from './synthetic';
export type {
  MrzCheck,
  MrzCheckName,
  MrzCheckedField,
  MrzCorrection,
  MrzDocument,
  MrzError,
  MrzErrorCode,
  MrzFields,
  MrzFormat,
  MrzParseOptions,
  MrzParseResult,
  MrzRawDates,
  MrzSex,
  MrzWarning,
  MrzWarningCode,
} from './types';
