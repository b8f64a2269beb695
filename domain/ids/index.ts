export { IdError, type RandomFill, UUID_V7_PATTERN, createIdGenerator, isUuidV7, newId, timestampOfUuidV7 } from './uuid-v7';
