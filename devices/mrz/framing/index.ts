import type { MrzFrameParser } from './frame-scanner';
import { createJsonParser } from './json';
import { createSohBccParser } from './soh-bcc';
import { createStxEtxParser } from './stx-etx';

/**
 * The framings serial MRZ readers use (docs/devices.md shows each byte by byte). A parser
 * is made per port and reset whenever the port closes.
 */
export const MRZ_FRAMINGS = ['stx-etx', 'soh-bcc', 'json'] as const;
export type MrzFraming = (typeof MRZ_FRAMINGS)[number];

export function createMrzFrameParser(framing: MrzFraming, options: { maxFrameBytes?: number } = {}): MrzFrameParser {
  switch (framing) {
    case 'stx-etx':
      return createStxEtxParser(options);
    case 'soh-bcc':
      return createSohBccParser(options);
    case 'json':
      return createJsonParser(options);
  }
}

export { DEFAULT_MAX_FRAME_BYTES } from './frame-scanner';
export type { DiscardReason, FrameEvent, MrzFrameParser } from './frame-scanner';
