import { describe, expect, it } from 'vitest';
import type { FrameEvent, MrzFrameParser } from './frame-scanner';
import { blockCheck, createSohBccParser } from './soh-bcc';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

function feed(parser: MrzFrameParser, ...chunks: Uint8Array[]): FrameEvent[] {
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** A frame built here by hand, independently of the simulator: SOH [len] "OU" STX [flag] text ETX BCC. */
function frame(text: string, options: { length?: boolean | number; flag?: number } = {}): Buffer {
  const afterLength = Buffer.from(`OU\x02${options.flag === undefined ? '' : String.fromCharCode(options.flag)}${text}\x03`, 'latin1');
  const lengthByte = options.length === true ? afterLength.length : options.length;
  const checked = typeof lengthByte === 'number' ? Buffer.concat([Buffer.of(lengthByte), afterLength]) : afterLength;
  let check = 0;
  for (const byte of checked) check ^= byte;
  return Buffer.concat([Buffer.of(0x01), checked, Buffer.of(check)]);
}

const document = (lines: readonly string[]): FrameEvent => ({ kind: 'document', text: lines.join('\n') });

describe('the soh-bcc framing', () => {
  it('checks the block check over every byte after SOH up to and including ETX', () => {
    // O U STX A B CR C ETX: 4F ^ 55 ^ 02 ^ 41 ^ 42 ^ 0D ^ 43 ^ 03 = 56
    const bytes = Buffer.from('\x01OU\x02AB\rC\x03\x56', 'latin1');
    expect(blockCheck(bytes.subarray(1, -1))).toBe(0x56);
    expect(feed(createSohBccParser(), bytes)).toEqual([{ kind: 'document', text: 'AB\nC' }]);
  });

  it.each([
    ['without length byte or flag', frame(`${TD3.join('\r')}\r`)],
    ['with a length byte', frame(`${TD3.join('\r')}\r`, { length: true })],
    ['with a length byte that reads as "O" (not relied upon)', frame(TD3.join('\r'), { length: 0x4f })],
    ['with a flag byte', frame(`${TD3.join('\r')}\r`, { length: true, flag: 0x2a })],
    ['with a control byte as flag', frame(TD3.join('\r'), { flag: 0x10 })],
    ['with `_` padding to 44 and beyond', frame(`${TD3[0]}____\r${TD3[1]}__________\r`, { length: true })],
    ['with CR LF between lines', frame(TD3.join('\r\n'))],
  ])('reads a frame %s', (_name, bytes) => {
    expect(feed(createSohBccParser(), bytes)).toEqual([document(TD3)]);
  });

  it('strips the padding of short lines (TD1 padded to 44)', () => {
    expect(feed(createSohBccParser(), frame(TD1.map((line) => line.padEnd(44, '_')).join('\r'), { length: true }))).toEqual([document(TD1)]);
  });

  it('drops a frame whose block check does not match, whole, and reads the next one', () => {
    const corrupted = frame(`${TD3.join('\r')}\r`, { length: true });
    corrupted[10] = 0x58; // one letter misread on the wire
    expect(feed(createSohBccParser(), corrupted, frame(TD1.join('\r')))).toEqual([
      { kind: 'discarded', count: corrupted.length, reason: 'bad block check' },
      document(TD1),
    ]);
  });

  it('reports garbage, and a header that is not SOH [len] "OU" STX, then resynchronises', () => {
    const events = feed(createSohBccParser(), Buffer.from('\xff\x00junk\x01XY\x02', 'latin1'), frame(TD3.join('\r')));
    expect(events).toEqual([
      { kind: 'discarded', count: 6, reason: 'no frame start' },
      { kind: 'discarded', count: 1, reason: 'broken frame' },
      { kind: 'discarded', count: 3, reason: 'no frame start' },
      document(TD3),
    ]);
  });

  it('starts afresh at an SOH inside a frame (the reader restarted mid-message)', () => {
    const whole = frame(TD3.join('\r'), { length: true });
    expect(feed(createSohBccParser(), whole.subarray(0, 30), whole)).toEqual([{ kind: 'discarded', count: 30, reason: 'broken frame' }, document(TD3)]);
  });

  it('reports a frame with only padding as empty', () => {
    expect(feed(createSohBccParser(), frame('____\r____'))).toEqual([{ kind: 'discarded', count: 15, reason: 'empty frame' }]);
  });

  it('rejects an oversize frame and reads the next one', () => {
    const parser = createSohBccParser({ maxFrameBytes: 100 });
    const long = frame('A'.repeat(200));
    const events = feed(parser, long, frame(TD1.join('\r')));
    expect(events).toEqual([{ kind: 'discarded', count: long.length, reason: 'oversize frame' }, document(TD1)]);
  });

  it('waits for the block check byte after ETX, and reads a frame split at every byte boundary', () => {
    const whole = frame(`${TD1.join('\r')}\r`, { length: true, flag: 0x23 });
    const parser = createSohBccParser();
    expect(feed(parser, whole.subarray(0, -1))).toEqual([]);
    expect(feed(parser, whole.subarray(-1))).toEqual([document(TD1)]);
    for (let split = 1; split < whole.length; split++) {
      expect(feed(createSohBccParser(), whole.subarray(0, split), whole.subarray(split))).toEqual([document(TD1)]);
    }
  });

  it('keeps nothing of a partial frame after reset', () => {
    const parser = createSohBccParser();
    const whole = frame(TD3.join('\r'), { length: true });
    feed(parser, whole.subarray(0, 40));
    expect(parser.reset()).toEqual([{ kind: 'discarded', count: 40, reason: 'device closed mid-message' }]);
    expect(feed(parser, whole.subarray(40), whole)).toEqual([{ kind: 'discarded', count: whole.length - 40, reason: 'no frame start' }, document(TD3)]);
  });
});
