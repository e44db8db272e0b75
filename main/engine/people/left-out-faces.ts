/**
 * [Note: faces left ungrouped] Faces a grouping run tried and left in no group (gated-out faces no group
 * accepted). Incremental runs do not try them again — at 250 000 faces tens of thousands of such faces
 * would otherwise be searched after every edit — until the face itself changes (its embedding, or any
 * assignment or group in between) or a full re-group tries everything again. The set is mirrored in the
 * catalog (grouping_left_out), written with the grouping run's own transactions, so a restart does not
 * make the first edit search them all again.
 */
import type { ClusterRepo } from '../catalog/cluster-repo';

export class LeftOutFaces {
  private readonly ids = new Set<number>();
  /** Ids added or removed since the last store(). */
  private readonly changed = new Set<number>();

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.changed.add(id);
  }

  delete(id: number): void {
    if (this.ids.delete(id)) this.changed.add(id);
  }

  /** Replaces the set with what the catalog kept (once, when the service first reads the catalog). */
  load(clusters: Pick<ClusterRepo, 'leftOut'>): void {
    this.ids.clear();
    this.changed.clear();
    for (const id of clusters.leftOut()) this.ids.add(id);
  }

  /** Writes what changed since the last call; inside the caller's transaction. */
  store(clusters: Pick<ClusterRepo, 'storeLeftOut'>): void {
    if (this.changed.size === 0) return;
    const changed = [...this.changed];
    clusters.storeLeftOut(
      changed.filter((id) => this.ids.has(id)),
      changed.filter((id) => !this.ids.has(id)),
    );
    this.changed.clear();
  }
}
