/** `a` ranks before `b` when their scores are equal. */
export type TieBreak = (a: number, b: number) => boolean;

/**
 * The k best (item, score) pairs seen, in a binary min-heap whose root is the worst kept: O(log k)
 * per accepted item, O(1) to reject one. Items are integers (slots); equal scores are ordered by
 * `ranksBefore`, so the result does not depend on the order items were offered in.
 */
export class TopK {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private count = 0;

  constructor(
    readonly k: number,
    private readonly ranksBefore: TieBreak,
  ) {
    this.items = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  get size(): number {
    return this.count;
  }

  /** Whether `offer(item, score)` would keep it: cheap, so that costlier checks (filters) run only for candidates. */
  wouldKeep(item: number, score: number): boolean {
    if (this.count < this.k) return true;
    if (this.k === 0) return false;
    const worst = this.scores[0];
    return score > worst || (score === worst && this.ranksBefore(item, this.items[0]));
  }

  offer(item: number, score: number): void {
    if (!this.wouldKeep(item, score)) return;
    if (this.count < this.k) {
      this.items[this.count] = item;
      this.scores[this.count] = score;
      this.count += 1;
      this.siftUp(this.count - 1);
    } else {
      this.items[0] = item;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** What was kept, best first. */
  sorted(): { item: number; score: number }[] {
    const kept = Array.from({ length: this.count }, (_, i) => ({ item: this.items[i], score: this.scores[i] }));
    return kept.sort((a, b) => (a.score !== b.score ? b.score - a.score : this.ranksBefore(a.item, b.item) ? -1 : 1));
  }

  /** Whether position `a` holds a worse entry than position `b`. */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a];
    const sb = this.scores[b];
    return sa < sb || (sa === sb && this.ranksBefore(this.items[b], this.items[a]));
  }

  private swap(a: number, b: number): void {
    const item = this.items[a];
    const score = this.scores[a];
    this.items[a] = this.items[b];
    this.scores[a] = this.scores[b];
    this.items[b] = item;
    this.scores[b] = score;
  }

  private siftUp(position: number): void {
    let child = position;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.worse(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(position: number): void {
    let parent = position;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= this.count) return;
      const right = left + 1;
      const worst = right < this.count && this.worse(right, left) ? right : left;
      if (!this.worse(worst, parent)) return;
      this.swap(worst, parent);
      parent = worst;
    }
  }
}
