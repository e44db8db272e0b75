/**
 * The grouping change log ([Note: grouping change log], migration 011): face ids whose grouping state
 * changed since a sequence number. Read by the grouping service to keep its in-memory face states
 * current; pruned by it, a reader behind the pruned mark reloading everything (another process on the
 * same catalog, a service that was closed for long).
 */
import { ChangeLog } from './change-log';
import type { Db } from './database';

export class GroupingChangesRepo extends ChangeLog {
  constructor(db: Db) {
    super(db, 'grouping_changes', 'grouping.prunedThrough');
  }
}
