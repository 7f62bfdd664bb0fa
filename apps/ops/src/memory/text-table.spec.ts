import { oneLine, renderTable, truncate } from './text-table';

describe('renderTable', () => {
  it('pads every column to its widest cell, numbers to the right, with no trailing spaces', () => {
    const rows = [
      { name: 'a', count: 1, note: '' },
      { name: 'longer', count: 100, note: 'x' },
    ];
    const lines = renderTable(
      [
        { header: 'NAME', value: (row: (typeof rows)[number]) => row.name },
        { header: 'N', align: 'right', value: (row) => String(row.count) },
        { header: 'NOTE', value: (row) => row.note },
      ],
      rows,
    );
    expect(lines).toEqual(['NAME      N  NOTE', 'a         1', 'longer  100  x']);
  });

  it('puts each cell on one line, so a hostile value cannot break the table or drive the terminal', () => {
    const [, line] = renderTable([{ header: 'GOAL', value: (row: string) => row }], ['evil\n\u001b[2Jgoal\tok\r\n']);
    expect(line).toBe('evil [2Jgoal ok');
  });
});

describe('oneLine and truncate', () => {
  it('folds whitespace and control characters to single spaces', () => {
    expect(oneLine('  a\n\n b\u0007c\u2028d ')).toBe('a b c d');
  });

  it('cuts after folding, counting code points', () => {
    expect(truncate('ab\ncd', 5)).toBe('ab cd');
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });
});
