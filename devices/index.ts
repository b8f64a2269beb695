/**
 * The devices part: drivers for MRZ readers and fingerprint scanners, the registry that
 * makes a device from a protocol name and an address, and the simulators that speak each
 * protocol's bytes. Plain Node; main/ reaches devices only through this file.
 */
export * from './types';
export { DriverRegistry, builtInDrivers } from './registry';
export { SerialMrzReader } from './mrz/serial-mrz-reader';
export { HidMrzReader, hidPosReaderFactory } from './hid';
export { MRZ_FRAMINGS, createMrzFrameParser, DEFAULT_MAX_FRAME_BYTES } from './mrz/framing';
export type { DiscardReason, FrameEvent, MrzFraming, MrzFrameParser } from './mrz/framing';
export { DEFAULT_BACKOFF } from './serial/serial-line';
export type { ReconnectBackoff, SerialAddress } from './serial/serial-line';
export { frameMrzDocument, syntheticZones } from './simulators/mrz-serial-simulator';
