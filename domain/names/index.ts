export { latinToSerbianCyrillic, serbianCyrillicToLatin } from './serbian-script';
export { mrzReadings, primaryReading } from './readings';
export { nameIndexParts, nameSearchKeys, namesMatch, normaliseForIndex } from './name-keys';
