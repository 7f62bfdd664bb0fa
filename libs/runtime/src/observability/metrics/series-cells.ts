/** The label value that series past a family's limit are counted under. */
export const OVERFLOW_LABEL = 'other';

/**
 * The series of one metric family keyed by up to two label values, each a mutable cell that the
 * hot path updates in place: a lookup is two Map reads and allocates nothing once the series
 * exists. The number of series is capped, so a label fed from outside (a tool name in a task,
 * a code from a library) cannot grow the family without bound: past the cap, new label values
 * share one `other` series.
 */
export class SeriesCells<Cell> {
  private readonly byFirst = new Map<string, Map<string, Cell>>();
  private size = 0;

  constructor(
    private readonly newCell: () => Cell,
    private readonly maxSeries = 256,
  ) {}

  /** The cell of `(first, second)`; a family with one label leaves `second` out. */
  get(first: string, second = ''): Cell {
    const cell = this.byFirst.get(first)?.get(second);
    return cell ?? this.create(first, second);
  }

  /** Every series, in creation order. */
  forEach(visit: (cell: Cell, first: string, second: string) => void): void {
    for (const [first, bySecond] of this.byFirst) for (const [second, cell] of bySecond) visit(cell, first, second);
  }

  private create(first: string, second: string): Cell {
    if (this.size >= this.maxSeries) {
      first = OVERFLOW_LABEL;
      second = second === '' ? '' : OVERFLOW_LABEL;
      const existing = this.byFirst.get(first)?.get(second);
      if (existing) return existing;
    }
    let bySecond = this.byFirst.get(first);
    if (!bySecond) {
      bySecond = new Map();
      this.byFirst.set(first, bySecond);
    }
    const cell = this.newCell();
    bySecond.set(second, cell);
    this.size++;
    return cell;
  }
}
