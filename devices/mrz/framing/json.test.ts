import { describe, expect, it } from 'vitest';
import type { FrameEvent, MrzFrameParser } from './frame-scanner';
import { createJsonParser } from './json';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function framed(json: string): Buffer {
  return Buffer.concat([Buffer.of(0x02), Buffer.from(json, 'utf8'), Buffer.of(0x03)]);
}

function feed(parser: MrzFrameParser, ...chunks: Uint8Array[]): FrameEvent[] {
  return chunks.flatMap((chunk) => parser.push(chunk));
}

const document: FrameEvent = { kind: 'document', text: TD3.join('\n') };

describe('the json framing', () => {
  it.each([
    ['the lines shape', JSON.stringify({ mrz: TD3 })],
    ['the text shape', JSON.stringify({ mrz: TD3.join('\n') })],
    ['the text shape with CR LF', JSON.stringify({ mrz: `${TD3.join('\r\n')}\r\n` })],
    ['other members around it', JSON.stringify({ device: 'Lesegerät 7', at: '2025-01-01T10:00:00Z', mrz: TD3, quality: [98, 97] })],
    ['pretty-printed JSON over several lines', JSON.stringify({ mrz: TD3 }, null, 2).replaceAll('\n', '\r\n')],
  ])('reads %s', (_name, json) => {
    expect(feed(createJsonParser(), framed(json))).toEqual([document]);
  });

  it.each([
    ['text that is not JSON', framed('{mrz: P<UTO}'), 'bad JSON'],
    ['bytes that are not UTF-8', Buffer.of(0x02, 0x7b, 0xc3, 0x28, 0x7d, 0x03), 'bad JSON'],
    ['a JSON array', framed(JSON.stringify(TD3)), 'no MRZ in JSON'],
    ['lines under another name', framed(JSON.stringify({ lines: TD3 })), 'no MRZ in JSON'],
    ['lines that are not strings', framed(JSON.stringify({ mrz: [1, 2] })), 'no MRZ in JSON'],
    ['no line at all', framed(JSON.stringify({ mrz: [] })), 'no MRZ in JSON'],
    ['only blank lines', framed(JSON.stringify({ mrz: ['', '\r\n'] })), 'empty frame'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(feed(createJsonParser(), bytes)).toEqual([{ kind: 'discarded', count: bytes.length, reason }]);
  });

  it('starts afresh at an STX inside a frame, and resynchronises after garbage', () => {
    const whole = framed(JSON.stringify({ mrz: TD3 }));
    expect(feed(createJsonParser(), Buffer.from('garbage'), whole.subarray(0, 20), whole)).toEqual([
      { kind: 'discarded', count: 7, reason: 'no frame start' },
      { kind: 'discarded', count: 20, reason: 'broken frame' },
      document,
    ]);
  });

  it('breaks a frame on a control byte other than TAB, CR and LF', () => {
    expect(feed(createJsonParser(), framed('{"mrz":\x07[]}'))[0]).toEqual({ kind: 'discarded', count: 9, reason: 'broken frame' });
  });

  it('rejects an oversize frame and reads the next one', () => {
    const parser = createJsonParser({ maxFrameBytes: 200 });
    const long = framed(JSON.stringify({ mrz: TD3, padding: 'x'.repeat(300) }));
    expect(feed(parser, long, framed(JSON.stringify({ mrz: TD3 })))).toEqual([{ kind: 'discarded', count: long.length, reason: 'oversize frame' }, document]);
  });

  it('reads a frame split at every byte boundary, and keeps nothing after reset', () => {
    const whole = framed(JSON.stringify({ mrz: TD3 }));
    for (let split = 1; split < whole.length; split++) {
      expect(feed(createJsonParser(), whole.subarray(0, split), whole.subarray(split))).toEqual([document]);
    }
    const parser = createJsonParser();
    feed(parser, whole.subarray(0, 60));
    expect(parser.reset()).toEqual([{ kind: 'discarded', count: 60, reason: 'device closed mid-message' }]);
    expect(feed(parser, whole.subarray(60))).toEqual([{ kind: 'discarded', count: whole.length - 60, reason: 'no frame start' }]);
  });
});
