/**
 * A FIFO of sequence numbers stored as runs (`[first, count]`), so that millions of consecutive
 * spooled items cost a few numbers of memory, not one each.
 */
export class SeqRuns {
  private runs: [number, number][] = [];
  private head = 0;

  push(seq: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && this.runs.length > this.head && last[0] + last[1] === seq) last[1]++;
    else this.runs.push([seq, 1]);
  }

  first(): number {
    return this.runs[this.head]?.[0] ?? Infinity;
  }

  /**
   * The smallest sequence number still held. Not always the first: during an outage a batch that
   * failed late is spooled after records queued after it.
   */
  min(): number {
    let min = Infinity;
    for (let i = this.head; i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run[1] > 0 && run[0] < min) min = run[0];
    }
    return min;
  }

  /** How many sequence numbers held are at or below `seq`. */
  countUpTo(seq: number): number {
    let n = 0;
    for (let i = this.head; i < this.runs.length; i++) {
      const [first, count] = this.runs[i]!;
      if (first <= seq) n += Math.min(count, seq - first + 1);
    }
    return n;
  }

  shift(count: number): void {
    while (count > 0 && this.head < this.runs.length) {
      const run = this.runs[this.head]!;
      const take = Math.min(count, run[1]);
      run[0] += take;
      run[1] -= take;
      count -= take;
      if (run[1] === 0) this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
  }
}
