/**
 * The catalog as the head reads it (every live face with its embedding, confirmations, rejections, live
 * people): one reader for training, for in-process recognition and for the head worker's own connection
 * ([Note: recognition reads off the serving thread]).
 */
import type { AssignmentsRepo } from '../../catalog/assignments-repo';
import type { FacesRepo } from '../../catalog/faces-repo';
import type { PeopleRepo } from '../../catalog/people-repo';

export interface LibrarySnapshot {
  faces: { id: number; photoId: number; cluster?: number | null; embedding: Float32Array }[];
  confirmed: { faceId: number; personId: number }[];
  rejections: { faceId: number; personId: number }[];
  /** People that exist and are not merged away; labels of others are ignored. */
  livePeople: Set<number>;
}

export interface SnapshotRepos {
  faces: FacesRepo;
  assignments: AssignmentsRepo;
  people: PeopleRepo;
}

export function readLibrarySnapshot({ faces, assignments, people }: SnapshotRepos): LibrarySnapshot {
  const confirmed = assignments.byKind('confirmed').map((a) => ({ faceId: a.faceId, personId: a.personId }));
  return {
    // Confirmed faces packed apart: the rest are one matrix recognition scores without a copy.
    faces: faces.allEmbeddings(new Set(confirmed.map((c) => c.faceId))),
    confirmed,
    rejections: assignments.rejections(),
    livePeople: new Set(people.list(true).map((p) => p.id)),
  };
}
