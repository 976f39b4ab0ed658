/**
 * Max-heap of (gain, id) for lazy greedy (Minoux 1978): gains of a submodular objective
 * only shrink, so a stale gain is an upper bound and only the top needs re-evaluating.
 * Ties go to the lower id so results do not depend on heap internals.
 */
export class GainHeap {
  private gain: Float64Array;
  private id: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.gain = new Float64Array(Math.max(1, capacity));
    this.id = new Int32Array(Math.max(1, capacity));
  }

  private above(a: number, b: number): boolean {
    const ga = this.gain[a], gb = this.gain[b];
    return ga > gb || (ga === gb && this.id[a] < this.id[b]);
  }

  private swap(a: number, b: number): void {
    const g = this.gain[a]; this.gain[a] = this.gain[b]; this.gain[b] = g;
    const i = this.id[a]; this.id[a] = this.id[b]; this.id[b] = i;
  }

  push(id: number, gain: number): void {
    if (this.size === this.id.length) {
      const g = new Float64Array(this.size * 2); g.set(this.gain); this.gain = g;
      const i = new Int32Array(this.size * 2); i.set(this.id); this.id = i;
    }
    let p = this.size++;
    this.gain[p] = gain;
    this.id[p] = id;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!this.above(p, parent)) break;
      this.swap(p, parent);
      p = parent;
    }
  }

  /** Becomes a copy of `other` (same entries, same order). */
  copyFrom(other: GainHeap): void {
    if (this.id.length < other.size) { this.gain = new Float64Array(other.size); this.id = new Int32Array(other.size); }
    this.gain.set(other.gain.subarray(0, other.size));
    this.id.set(other.id.subarray(0, other.size));
    this.size = other.size;
  }

  topId(): number { return this.id[0]; }
  topGain(): number { return this.gain[0]; }

  /** True when (gain, id) would rank at or above the current top. */
  beats(id: number, gain: number): boolean {
    if (this.size === 0) return true;
    return gain > this.gain[0] || (gain === this.gain[0] && id < this.id[0]);
  }

  pop(): number {
    const top = this.id[0];
    this.size--;
    if (this.size > 0) {
      this.gain[0] = this.gain[this.size];
      this.id[0] = this.id[this.size];
      let p = 0;
      for (;;) {
        const l = 2 * p + 1, r = l + 1;
        let m = p;
        if (l < this.size && this.above(l, m)) m = l;
        if (r < this.size && this.above(r, m)) m = r;
        if (m === p) break;
        this.swap(p, m);
        p = m;
      }
    }
    return top;
  }
}
