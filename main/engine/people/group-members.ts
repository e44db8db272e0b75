/**
 * [Note: incremental group index] Which faces are in which group, kept between grouping runs and
 * updated face by face as the grouping change log names faces (ClusterService.sync). With it an
 * incremental run starts from the groups that changed — their summaries are recomputed, their members
 * read — instead of walking every face of the library to rebuild every group (several passes of
 * 0.5–1 s each at 250 000 faces, most of an edit's grouping time before). It also answers the groups
 * view and "how many faces are waiting" without a pass over the faces.
 */
export class GroupMembers<K> {
  private readonly byKey = new Map<K, Set<number>>();
  private readonly keyOf = new Map<number, K>();
  private readonly minOf = new Map<K, number>();
  /** Groups whose members (or member rows: touch()) changed since the last takeChanged(). */
  private changed = new Set<K>();
  private order: K[] | null = null;
  /** Per group of `order`: its smallest face when the order was made (a group that changed it is in `reordered`). */
  private orderMin: number[] = [];
  /** Groups whose place in `order` may have changed (new, gone, or a new smallest face). */
  private readonly reordered = new Set<K>();
  /** Bumped on every change: readers cache what they derive per version. */
  version = 0;

  clear(): void {
    for (const key of this.byKey.keys()) this.changed.add(key);
    this.byKey.clear();
    this.keyOf.clear();
    this.minOf.clear();
    this.order = null;
    this.reordered.clear();
    this.version++;
  }

  /** Puts face `id` in group `key` (null: in none); a face is in at most one group. */
  set(id: number, key: K | null): void {
    const old = this.keyOf.get(id);
    if (old === key || (old === undefined && key === null)) return;
    this.version++;
    if (old !== undefined) {
      const members = this.byKey.get(old)!;
      members.delete(id);
      this.changed.add(old);
      this.keyOf.delete(id);
      if (members.size === 0) {
        this.byKey.delete(old);
        this.minOf.delete(old);
        this.reordered.add(old);
      } else if (this.minOf.get(old) === id) {
        let min = Infinity;
        for (const m of members) if (m < min) min = m;
        this.minOf.set(old, min);
        this.reordered.add(old);
      }
    }
    if (key === null) return;
    let members = this.byKey.get(key);
    if (!members) {
      this.byKey.set(key, (members = new Set()));
      this.minOf.set(key, id);
      this.reordered.add(key);
    } else if (id < this.minOf.get(key)!) {
      this.minOf.set(key, id);
      this.reordered.add(key);
    }
    members.add(id);
    this.keyOf.set(id, key);
    this.changed.add(key);
  }

  /** Marks the group of face `id` changed without moving the face (its row changed). */
  touch(id: number): void {
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.changed.add(key);
    this.version++;
  }

  groupOf(id: number): K | undefined {
    return this.keyOf.get(id);
  }

  has(key: K): boolean {
    return this.byKey.has(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A group's faces in id order. */
  members(key: K): number[] {
    return [...(this.byKey.get(key) ?? [])].sort((a, b) => a - b);
  }

  memberCount(key: K): number {
    return this.byKey.get(key)?.size ?? 0;
  }

  /** Every group, in no particular order. */
  all(): IterableIterator<K> {
    return this.byKey.keys();
  }

  /** Every group, in the order of its smallest face id (the order a scan of the faces by id meets them). */
  keys(): readonly K[] {
    const min = (key: K) => this.minOf.get(key)!;
    if (this.order === null || this.reordered.size > this.byKey.size / 8) {
      const sorted = [...this.minOf].sort((a, b) => a[1] - b[1]);
      this.order = sorted.map(([key]) => key);
      this.orderMin = sorted.map(([, m]) => m);
    } else if (this.reordered.size > 0) {
      // An edit moves a handful of groups: merge them into the kept order rather than sort 115 000
      // groups again (170 ms of an edit's regroup at 250 000 faces). The kept order keeps each group's
      // smallest face beside it, so the merge looks up only the moved groups' (a map lookup per group
      // was most of the remaining 0.1–0.2 s).
      const moved = [...this.reordered].filter((key) => this.minOf.has(key)).sort((a, b) => min(a) - min(b));
      const movedMin = moved.map(min);
      const order: K[] = [];
      const orderMin: number[] = [];
      let i = 0;
      this.order.forEach((key, j) => {
        if (this.reordered.has(key)) return;
        const m = this.orderMin[j]!;
        for (; i < moved.length && movedMin[i]! < m; i++) {
          order.push(moved[i]!);
          orderMin.push(movedMin[i]!);
        }
        order.push(key);
        orderMin.push(m);
      });
      for (; i < moved.length; i++) {
        order.push(moved[i]!);
        orderMin.push(movedMin[i]!);
      }
      this.order = order;
      this.orderMin = orderMin;
    }
    this.reordered.clear();
    return this.order;
  }

  /** The groups changed since the last call (some may have no members left). */
  takeChanged(): Set<K> {
    const out = this.changed;
    this.changed = new Set();
    return out;
  }
}
