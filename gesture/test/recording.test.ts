import { parseRecordingCsv } from '../src/recording';
import { RecordingError } from '../src/errors';

const rows = (n: number, line: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => line(i));
const xyz = (i: number, decimals = 2): string => [i, -i, 9.81].map((v) => v.toFixed(decimals)).join(',');

function reason(text: string, minRows = 5): string {
  try {
    parseRecordingCsv(text, { minRows });
  } catch (err) {
    expect(err).toBeInstanceOf(RecordingError);
    return (err as Error).message;
  }
  throw new Error('expected the recording to be rejected');
}

describe('parseRecordingCsv', () => {
  it('reads the course layout: header timestamp,x,y,z, LF, 2 decimals', () => {
    const text = ['timestamp,x,y,z', ...rows(6, (i) => `${i * 10},${xyz(i)}`)].join('\n');
    const s = parseRecordingCsv(text, { minRows: 5 });
    expect(s.length).toBe(18);
    expect(Array.from(s.slice(3, 6))).toEqual([1, -1, 9.81]);
  });

  it('gives the same samples for header x,y,z, no header, CRLF, BOM and 4 decimals', () => {
    const base = parseRecordingCsv(['x,y,z', ...rows(6, (i) => xyz(i))].join('\n'), { minRows: 5 });
    const variants = [
      rows(6, (i) => xyz(i)).join('\n'),
      rows(6, (i) => `${i * 10},${xyz(i)}`).join('\r\n') + '\r\n',
      '\ufefftimestamp,x,y,z\r\n' + rows(6, (i) => `${i * 10},${xyz(i, 4)}`).join('\r\n'),
      ' X , Y , Z \n' + rows(6, (i) => xyz(i)).join('\n') + '\n\n',
      'x,y,z\r\n' + rows(3, (i) => xyz(i)).join('\r\n') + '\n' + rows(3, (i) => xyz(i + 3)).join('\n'),
    ];
    for (const text of variants) expect(parseRecordingCsv(text, { minRows: 5 })).toEqual(base);
  });

  it('takes x, y and z by name when a header names extra columns (accelerometer plus gyro)', () => {
    const text = ['timestamp,gx,gy,gz,x,y,z', ...rows(6, (i) => `${i},100,200,300,${xyz(i)}`)].join('\n');
    const s = parseRecordingCsv(text, { minRows: 5 });
    expect(Array.from(s.slice(3, 6))).toEqual([1, -1, 9.81]);
    expect(Math.max(...s)).toBeLessThan(100);
  });

  it('rejects columns it would have to guess', () => {
    expect(reason(rows(6, (i) => `${xyz(i)},${xyz(i)}`).join('\n'))).toMatch(/6 columns without a header/);
    expect(reason(['t,ax1,ay1,az1,ax2,ay2,az2', ...rows(6, () => '0,1,2,3,4,5,6')].join('\n'))).toMatch(
      /no x, y and z columns/,
    );
  });

  it.each([
    ['an empty file', '', /empty file/],
    ['a header only', 'timestamp,x,y,z\n', /0 rows, fewer than the minimum of 5/],
    ['too few rows', ['x,y,z', ...rows(4, (i) => xyz(i))].join('\n'), /4 rows, fewer than the minimum of 5/],
    ['a non-numeric cell', ['x,y,z', ...rows(5, (i) => xyz(i)), '1,abc,3'].join('\n'), /non-numeric y value "abc" at line 7/],
    ['a NaN', ['x,y,z', ...rows(5, (i) => xyz(i)), 'NaN,1,2'].join('\n'), /non-numeric x value "NaN" at line 7/],
    ['an infinity', ['x,y,z', ...rows(5, (i) => xyz(i)), '1,2,Infinity'].join('\n'), /non-numeric z value/],
    ['an empty cell', ['x,y,z', ...rows(5, (i) => xyz(i)), '1,,2'].join('\n'), /non-numeric y value "" at line 7/],
    ['a ragged row', ['timestamp,x,y,z', ...rows(5, (i) => `0,${xyz(i)}`), '1,2,3'].join('\n'), /ragged row at line 7: 3 cells, expected 4/],
    ['an unclosed quote', 'x,y,z\n"1,2,3\n', /not valid CSV/],
  ])('rejects %s with its reason', (_name, text, expected) => {
    expect(reason(text)).toMatch(expected);
  });

  it('uses a configurable minimum row count', () => {
    const text = ['x,y,z', ...rows(67, (i) => xyz(i))].join('\n');
    expect(parseRecordingCsv(text, { minRows: 67 }).length).toBe(201);
    expect(() => parseRecordingCsv(text, { minRows: 68 })).toThrow(/67 rows/);
  });
});
