/**
 * Read model for face listings (CLI `faces`, the photo viewer, a person's page): faces joined with their
 * photo, person, assignment and group. A read-only repository: it serves only listings.
 */
import type { FaceDto } from '../../api/library';
import { blobToEmbedding } from './embedding-blob';
import type { RawFace } from './faces-repo';
import type { Db } from './database';

type Raw = Omit<RawFace, 'embedding' | 'model_id' | 'source'> & {
  path: string;
  person_id: number | null;
  person_name: string | null;
  kind: 'confirmed' | 'suggested' | 'auto' | null;
  confidence: number | null;
  embedding?: Buffer;
};

const SELECT = (withEmbedding: boolean) => `
  SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.landmarks, f.score, f.quality, f.quality_size,
         f.quality_blur, f.quality_pose, f.cluster_id, a.person_id, pe.name AS person_name, a.kind, a.confidence
         ${withEmbedding ? ', f.embedding' : ''}
  FROM faces f JOIN photos p ON p.id = f.photo_id
  LEFT JOIN assignments a ON a.face_id = f.id
  LEFT JOIN people pe ON pe.id = a.person_id
  WHERE f.deleted_at IS NULL`;

function toDto(r: Raw): FaceDto & { embedding?: number[] } {
  const dto: FaceDto & { embedding?: number[] } = {
    id: r.id,
    photoId: r.photo_id,
    photoPath: r.path,
    box: { x: r.x, y: r.y, w: r.w, h: r.h },
    score: r.score,
    landmarks: JSON.parse(r.landmarks) as [number, number][],
    quality: { overall: r.quality, size: r.quality_size, blur: r.quality_blur, pose: r.quality_pose },
    person: r.person_id !== null && r.person_name !== null ? { id: r.person_id, name: r.person_name } : null,
    assignment: r.kind,
    confidence: r.confidence,
    cluster: r.cluster_id,
  };
  if (r.embedding) dto.embedding = Array.from(blobToEmbedding(r.embedding));
  return dto;
}

/** A face on a person's page: where it is, and how it is theirs. */
export interface PersonFaceRow {
  id: number;
  photoId: number;
  photoPath: string;
  box: { x: number; y: number; w: number; h: number };
  kind: 'confirmed' | 'suggested' | 'auto';
  confidence: number | null;
}

export class FaceListing {
  constructor(private readonly db: Db) {}

  page(
    offset: number,
    limit: number,
    embeddings: boolean,
  ): { total: number; items: ReturnType<typeof toDto>[] } {
    const total = (
      this.db.prepare('SELECT COUNT(*) AS n FROM faces WHERE deleted_at IS NULL').get() as { n: number }
    ).n;
    const rows = this.db
      .prepare(`${SELECT(embeddings)} ORDER BY f.id LIMIT ? OFFSET ?`)
      .all(limit, offset) as Raw[];
    return { total, items: rows.map(toDto) };
  }

  /**
   * A person's live faces with their photos, in one statement: read a face and a photo at a time (two
   * statements prepared per face), a person with 1 800 faces took 0.3–0.7 s, and their page is read
   * again after every edit made on it.
   */
  ofPerson(personId: number): PersonFaceRow[] {
    const rows = this.db
      .prepare(
        `SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, a.kind, a.confidence
         FROM assignments a JOIN faces f ON f.id = a.face_id AND f.deleted_at IS NULL
         JOIN photos p ON p.id = f.photo_id
         WHERE a.person_id = ?`,
      )
      .all(personId) as (Pick<Raw, 'id' | 'photo_id' | 'path' | 'x' | 'y' | 'w' | 'h' | 'confidence'> & {
      kind: PersonFaceRow['kind'];
    })[];
    return rows.map((r) => ({
      id: r.id,
      photoId: r.photo_id,
      photoPath: r.path,
      box: { x: r.x, y: r.y, w: r.w, h: r.h },
      kind: r.kind,
      confidence: r.confidence,
    }));
  }

  forPhoto(photoId: number): FaceDto[] {
    return (this.db.prepare(`${SELECT(false)} AND f.photo_id = ? ORDER BY f.x`).all(photoId) as Raw[]).map(
      toDto,
    );
  }
}
