import { OVERFLOW_LABEL, SeriesCells } from './series-cells';

describe('SeriesCells', () => {
  const counters = (maxSeries?: number) => new SeriesCells(() => ({ value: 0 }), maxSeries);

  it('hands out one cell per label pair, the same one every time', () => {
    const cells = counters();
    cells.get('io', 'noop').value++;
    cells.get('io', 'noop').value++;
    cells.get('io', 'fs.read').value++;
    cells.get('logic', 'noop').value++;
    expect(cells.get('io', 'noop')).toBe(cells.get('io', 'noop'));
    const seen: Array<[string, string, number]> = [];
    cells.forEach((cell, first, second) => seen.push([first, second, cell.value]));
    expect(seen).toEqual([
      ['io', 'noop', 2],
      ['io', 'fs.read', 1],
      ['logic', 'noop', 1],
    ]);
  });

  it('keys a one-label family by the first value alone', () => {
    const cells = counters();
    cells.get('succeeded').value += 3;
    const seen: Array<[string, string, number]> = [];
    cells.forEach((cell, first, second) => seen.push([first, second, cell.value]));
    expect(seen).toEqual([['succeeded', '', 3]]);
  });

  it('counts series past its limit under one `other` series instead of growing', () => {
    const cells = counters(2);
    cells.get('a', 'x').value++;
    cells.get('b', 'y').value++;
    cells.get('c', 'z').value++;
    cells.get('d', 'w').value++;
    cells.get('a', 'x').value++;
    const seen: Array<[string, string, number]> = [];
    cells.forEach((cell, first, second) => seen.push([first, second, cell.value]));
    expect(seen).toEqual([
      ['a', 'x', 2],
      ['b', 'y', 1],
      [OVERFLOW_LABEL, OVERFLOW_LABEL, 2],
    ]);
  });
});
