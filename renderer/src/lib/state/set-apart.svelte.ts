/**
 * Faces the user set apart ("not this person", split off a person or a group) that are too few to be
 * listed among the unnamed groups ([Note: faces set apart]). The engine lists them (`people.setApart`), so
 * People shows them after a reload too: this class only holds the last list read, which `people.refresh()`
 * reads together with the unnamed groups (one face is never in both lists at once). Naming them, undoing
 * the edit that set them apart, or grouping placing them in a listed group takes them off the list.
 */
import type { z } from 'zod';
import type { groupSchema } from '../../../../main/api/people';
import { api } from '../api/client';

type GroupDto = z.infer<typeof groupSchema>;

class SetApart {
  groups = $state.raw<GroupDto[]>([]);

  /** The engine's list now (not shown until `show`). */
  read(): Promise<GroupDto[]> {
    return api['people.setApart']({});
  }

  show(groups: GroupDto[]): void {
    this.groups = groups;
  }

  /** Whether every one of these faces is listed apart (a notice's "Show it" leads somewhere only then). */
  holds(faceIds: readonly number[]): boolean {
    const listed = new Set(this.groups.flatMap((g) => g.faceIds));
    return faceIds.every((id) => listed.has(id));
  }
}

export const setApart = new SetApart();
