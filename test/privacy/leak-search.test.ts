import { describe, expect, it } from 'vitest';
import { describeLeaks, findLeaks, mrzName, type Needle } from './leak-search';

const surname: Needle = { label: 'traveller surname', value: 'Zzqxwyrt-Leakcheck', mrz: mrzName('Zzqxwyrt-Leakcheck', 'Vln Probeone') };
const officer: Needle = { label: 'officer name', value: 'Mirza "Ž" Qjxofficerprobe' };

describe('the leak search of the privacy test', () => {
  it('finds a value as is, in another case, JSON-escaped, \\u-escaped, escaped twice and in MRZ form, naming where and the line', () => {
    const leaks = findLeaks(
      [
        { where: 'server stdout', text: '{"msg":"push"}\n{"msg":"x","name":"zzqxwyrt-leakcheck"}' },
        { where: 'station stdout', text: 'ok\nok\nP<BIHZZQXWYRT<LEAKCHECK<<VLN<PROBEONE<<<<<' },
        { where: 'a.log', text: '{"officer":"Mirza \\"Ž\\" Qjxofficerprobe"}' },
        { where: 'b.log', text: '{"officer":"Mirza \\"\\u017d\\" Qjxofficerprobe"}' },
        { where: 'c.log', text: '{"body":"{\\"officer\\":\\"Mirza \\\\\\"Ž\\\\\\" Qjxofficerprobe\\"}"}' },
      ],
      [surname, officer],
    );
    expect(leaks.map(({ where, line, label, form }) => ({ where, line, label, form }))).toEqual([
      { where: 'server stdout', line: 2, label: 'traveller surname', form: 'as is' },
      { where: 'station stdout', line: 3, label: 'traveller surname', form: 'MRZ' },
      { where: 'a.log', line: 1, label: 'officer name', form: 'JSON-escaped' },
      { where: 'b.log', line: 1, label: 'officer name', form: 'JSON-escaped, \\u for non-ASCII' },
      { where: 'c.log', line: 1, label: 'officer name', form: 'JSON-escaped twice' },
    ]);
    expect(describeLeaks(leaks)).toContain('station stdout, line 3: the traveller surname (MRZ)\n    P<BIHZZQXWYRT<LEAKCHECK<<VLN<PROBEONE');
  });

  it('finds nothing in text without the values, and skips what a source shows on purpose', () => {
    const text = '{"level":30,"msg":"push","collection":"registrations","rows":2}\nZZQXWYRT LEAKCHECK (split)';
    expect(findLeaks([{ where: 'clean', text }], [surname, officer])).toEqual([]);
    expect(findLeaks([{ where: 'officer-add stdout', text: 'Mirza "Ž" Qjxofficerprobe', shownOnPurpose: ['officer name'] }], [officer])).toEqual([]);
  });

  it('writes a name in MRZ form as ICAO 9303 does', () => {
    expect(mrzName('ZZQXWYRTLEAKCHECK', 'VLNPROBEONE')).toBe('ZZQXWYRTLEAKCHECK<<VLNPROBEONE');
    expect(mrzName("O'Neil-Smith", 'Ana Marija')).toBe('O<NEIL<SMITH<<ANA<MARIJA');
  });
});
