import { describe, expect, it } from 'vitest';
import type { FrameEvent, MrzFrameParser } from './frame-scanner';
import { createStxEtxParser } from './stx-etx';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

const STX = '\x02';
const ETX = '\x03';

function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

function feed(parser: MrzFrameParser, ...chunks: string[]): FrameEvent[] {
  return chunks.flatMap((chunk) => parser.push(bytes(chunk)));
}

const document = (lines: readonly string[]): FrameEvent => ({ kind: 'document', text: lines.join('\n') });

describe('the stx-etx framing', () => {
  it('reads STX line CR line CR ETX as one document, lines joined by newlines', () => {
    expect(feed(createStxEtxParser(), `${STX}${TD3[0]}\r${TD3[1]}\r${ETX}`)).toEqual([document(TD3)]);
  });

  it.each([
    ['CR LF after each line', `${STX}${TD1.join('\r\n')}\r\n${ETX}`],
    ['no line end before ETX', `${STX}${TD1.join('\r')}${ETX}`],
    ['LF alone', `${STX}${TD1.join('\n')}\n${ETX}`],
    ['a blank line between', `${STX}${TD1[0]}\r\r${TD1[1]}\r${TD1[2]}\r${ETX}`],
  ])('tolerates %s', (_name, frame) => {
    expect(feed(createStxEtxParser(), frame)).toEqual([document(TD1)]);
  });

  it('skips the default start- and end-of-document bytes (SOH, EOT) without reporting them', () => {
    expect(feed(createStxEtxParser(), `\x01${STX}${TD3.join('\r')}\r${ETX}\x04`, `\x01${STX}${TD1.join('\r')}\r${ETX}\x04`)).toEqual([document(TD3), document(TD1)]);
  });

  it('takes other wrapper bytes when told, and reports the defaults as garbage then', () => {
    const parser = createStxEtxParser({ documentStart: 0x1c, documentEnd: 0x1d });
    expect(feed(parser, `\x1c${STX}${TD3.join('\r')}\r${ETX}\x1d`)).toEqual([document(TD3)]);
    expect(feed(parser, `\x01${STX}${TD3.join('\r')}\r${ETX}`)).toEqual([{ kind: 'discarded', count: 1, reason: 'no frame start' }, document(TD3)]);
  });

  it('reports garbage before a frame as one stretch, then reads the frame', () => {
    expect(feed(createStxEtxParser(), `noise\r\n\xff${STX}${TD3.join('\r')}\r${ETX}`)).toEqual([
      { kind: 'discarded', count: 8, reason: 'no frame start' },
      document(TD3),
    ]);
  });

  it('gives up a frame cut short by the next STX, and reads the next one', () => {
    expect(feed(createStxEtxParser(), `${STX}P<UTOERIK`, `${STX}${TD3.join('\r')}\r${ETX}`)).toEqual([
      { kind: 'discarded', count: 10, reason: 'broken frame' },
      document(TD3),
    ]);
  });

  it('gives up a frame holding a control byte, and resynchronises on the next STX', () => {
    expect(feed(createStxEtxParser(), `${STX}P<UTO\x00ERIK\r${ETX}${STX}${TD3.join('\r')}\r${ETX}`)).toEqual([
      { kind: 'discarded', count: 7, reason: 'broken frame' },
      { kind: 'discarded', count: 6, reason: 'no frame start' },
      document(TD3),
    ]);
  });

  it('reports a frame with no line in it as empty', () => {
    expect(feed(createStxEtxParser(), `${STX}\r\n${ETX}`)).toEqual([{ kind: 'discarded', count: 4, reason: 'empty frame' }]);
  });

  it('rejects a frame longer than the maximum, never holding more, and reads the next frame', () => {
    const parser = createStxEtxParser({ maxFrameBytes: 128 });
    const events = feed(parser, `${STX}${'A'.repeat(300)}`);
    expect(parser.bufferedBytes).toBe(0);
    events.push(...feed(parser, `\r${ETX}`, `${STX}${TD3.join('\r')}\r${ETX}`));
    expect(events).toEqual([
      { kind: 'discarded', count: 301, reason: 'oversize frame' },
      { kind: 'discarded', count: 2, reason: 'oversize frame' },
      document(TD3),
    ]);
  });

  it('accepts a frame of exactly the maximum length', () => {
    const frame = `${STX}${TD3.join('\r')}\r${ETX}`;
    expect(feed(createStxEtxParser({ maxFrameBytes: frame.length }), frame)).toEqual([document(TD3)]);
    expect(feed(createStxEtxParser({ maxFrameBytes: frame.length - 1 }), frame)[0]).toMatchObject({ reason: 'oversize frame' });
  });

  it('reads a frame split at every byte boundary', () => {
    const frame = `\x01${STX}${TD1.join('\r\n')}\r\n${ETX}\x04`;
    for (let split = 1; split < frame.length; split++) {
      const parser = createStxEtxParser();
      expect(feed(parser, frame.slice(0, split), frame.slice(split))).toEqual([document(TD1)]);
    }
  });

  it('keeps nothing of a partial frame after reset: the rest of it is garbage, the next frame whole', () => {
    const parser = createStxEtxParser();
    const frame = `${STX}${TD3.join('\r')}\r${ETX}`;
    expect(feed(parser, frame.slice(0, 50))).toEqual([]);
    expect(parser.bufferedBytes).toBe(50);
    expect(parser.reset()).toEqual([{ kind: 'discarded', count: 50, reason: 'device closed mid-message' }]);
    expect(parser.bufferedBytes).toBe(0);
    expect(parser.reset()).toEqual([]);
    expect(feed(parser, frame.slice(50), frame)).toEqual([{ kind: 'discarded', count: frame.length - 50, reason: 'no frame start' }, document(TD3)]);
  });
});
