/**
 * A binary max-heap of candidate pairs of groups keyed by their similarity; clustering pops the most
 * similar pair first. Packed in typed arrays: a full re-group at 250 000 faces pushes millions of pairs,
 * and as one object each they made up most of its memory. Sifting compares keys exactly as a heap of
 * objects would, so the pops come in the same order.
 */

/** A popped pair: groups a and b, and the versions they had when it was pushed. */
export interface PairTop {
  key: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

const FIELDS = 4;

export class PairHeap {
  private keys = new Float64Array(1024);
  private pairs = new Int32Array(1024 * FIELDS);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(key: number, a: number, b: number, va: number, vb: number): void {
    if (this.count === this.keys.length) this.grow();
    let i = this.count++;
    this.keys[i] = key;
    const at = i * FIELDS;
    this.pairs[at] = a;
    this.pairs[at + 1] = b;
    this.pairs[at + 2] = va;
    this.pairs[at + 3] = vb;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! >= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Moves the pair with the largest key into `out` and removes it; false when the heap is empty. */
  pop(out: PairTop): boolean {
    if (this.count === 0) return false;
    out.key = this.keys[0]!;
    out.a = this.pairs[0]!;
    out.b = this.pairs[1]!;
    out.va = this.pairs[2]!;
    out.vb = this.pairs[3]!;
    const last = --this.count;
    if (last > 0) {
      this.keys[0] = this.keys[last]!;
      this.pairs.copyWithin(0, last * FIELDS, (last + 1) * FIELDS);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < last && this.keys[l]! > this.keys[m]!) m = l;
        if (r < last && this.keys[r]! > this.keys[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return true;
  }

  private swap(x: number, y: number): void {
    const k = this.keys[x]!;
    this.keys[x] = this.keys[y]!;
    this.keys[y] = k;
    const px = x * FIELDS;
    const py = y * FIELDS;
    for (let f = 0; f < FIELDS; f++) {
      const t = this.pairs[px + f]!;
      this.pairs[px + f] = this.pairs[py + f]!;
      this.pairs[py + f] = t;
    }
  }

  private grow(): void {
    const keys = new Float64Array(Math.ceil(this.keys.length * 1.5));
    keys.set(this.keys);
    const pairs = new Int32Array(keys.length * FIELDS);
    pairs.set(this.pairs);
    this.keys = keys;
    this.pairs = pairs;
  }
}
