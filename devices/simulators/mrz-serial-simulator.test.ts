import { describe, expect, it } from 'vitest';
import { parseMrz } from '../../domain/mrz';
import { MRZ_FRAMINGS, createMrzFrameParser } from '../mrz/framing';
import { frameMrzDocument, jsonFrame, sohBccFrame, stxEtxFrame, syntheticZones } from './mrz-serial-simulator';

const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

describe('the serial MRZ reader simulator', () => {
  it('frames stx-etx as STX, each line and CR, ETX; wrappers and CR LF when asked', () => {
    expect(stxEtxFrame(['AB', 'CD'])).toEqual(Buffer.from('\x02AB\rCD\r\x03', 'latin1'));
    expect(stxEtxFrame(['AB', 'CD'], { documentStart: 0x01, documentEnd: 0x04, lineEnd: '\r\n' })).toEqual(Buffer.from('\x01\x02AB\r\nCD\r\n\x03\x04', 'latin1'));
  });

  it('frames soh-bcc with the length of "OU" through ETX, `_` padding, and the XOR of every byte after SOH through ETX', () => {
    // len: O U STX A B _ _ CR C D _ _ ETX is 13 bytes (0x0D).
    // BCC: 0D^4F=42 ^55=17 ^02=15 ^41=54 ^42=16 ^5F=49 ^5F=16 ^0D=1B ^43=58 ^44=1C ^5F=43 ^5F=1C ^03=1F
    expect(sohBccFrame(['AB', 'CD'], { padTo: 4 })).toEqual(Buffer.from('\x01\x0dOU\x02AB__\rCD__\x03\x1f', 'latin1'));
    expect(sohBccFrame(['AB'], { lengthByte: false, flag: 0x2a, padTo: 0 })).toEqual(Buffer.from(`\x01OU\x02*AB\x03${String.fromCharCode(0x4f ^ 0x55 ^ 0x02 ^ 0x2a ^ 0x41 ^ 0x42 ^ 0x03)}`, 'latin1'));
  });

  it('frames json as STX, {"mrz": lines} (or the lines as one text), ETX', () => {
    expect(jsonFrame(['AB', 'CD'])).toEqual(Buffer.from('\x02{"mrz":["AB","CD"]}\x03', 'latin1'));
    expect(jsonFrame(['AB', 'CD'], { shape: 'text' })).toEqual(Buffer.from('\x02{"mrz":"AB\\nCD"}\x03', 'latin1'));
  });

  it.each(MRZ_FRAMINGS)('speaks %s as its parser reads it', (framing) => {
    expect(createMrzFrameParser(framing).push(frameMrzDocument(framing, TD2))).toEqual([{ kind: 'document', text: TD2.join('\n') }]);
  });

  it('makes synthetic zones the MRZ engine reads as valid, the same for the same seed', () => {
    const zones = syntheticZones(20, 7);
    expect(syntheticZones(20, 7)).toEqual(zones);
    expect(syntheticZones(20, 8)).not.toEqual(zones);
    for (const lines of zones) expect(parseMrz(lines.join('\n'))).toMatchObject({ ok: true, document: { valid: true } });
  });
});
