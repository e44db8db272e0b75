/**
 * Face search: photos of a person found by a face (in the library or in any image file), by an
 * embedding, or by name; several people together; filtered by folder and date. Face hits come from the
 * face index; this service turns them into photos (best face per photo), applies the similarity
 * threshold and attaches what a result row shows (path, date, box, person).
 */
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../../api/contract';
import { dot } from '../embedding-dot';
import type { Likeness } from '../../api/search';
import type { FaceIndex, IndexStatus } from './face-index';
import { normalisedEmbedding } from './face-vectors';
import { LIKENESS_BANDS, likenessOf } from './likeness';
import { mergePeople, type MatchKind, type PersonPhotos } from './people-match';
import type { PhotoFilter, SearchRepo } from '../catalog/search-repo';
import type { AnalyseImage, ImageFace } from '../vision/shared-vision-pool';

/**
 * Default similarity threshold. Measured on glint_celebs24 with the bundled embedder (test/bench/search.ts):
 * 99.9% of different-person pairs score below 0.37, while the median same-person pair scores 0.56.
 * It is the lower edge of the "probably the same person" band ([Note: likeness bands]).
 */
export const DEFAULT_THRESHOLD = LIKENESS_BANDS.probable;
export const DEFAULT_TOP = 50;

export interface FaceMatch {
  faceId: number;
  box: { x: number; y: number; w: number; h: number };
  /** Cosine similarity to the query (for a person: to the mean of their confirmed faces). */
  score: number;
  /** How the face was matched: the user's or the machine's assignment, or similarity alone. */
  match: MatchKind;
  person: { id: number; name: string } | null;
}

export interface PhotoMatch {
  photoId: number;
  path: string;
  takenAt: number | null;
  /** The photo's oriented size, where its faces' context crops sit (null before it is analysed). */
  photoSize: { width: number; height: number } | null;
  /** The photo's rank score: its best face's (several people: the weakest of their best faces). */
  score: number;
  /** The score in words ([Note: likeness bands]). */
  likeness: Likeness;
  faces: FaceMatch[];
}

export interface SearchOptions extends PhotoFilter {
  top?: number | undefined;
  threshold?: number | undefined;
}

export interface ImageSearchResult {
  /** Boxes of every face found in the image, and which one was searched for. */
  faces: { box: ImageFace['box'] }[];
  used: number;
  results: PhotoMatch[];
}

interface Deps {
  repo: SearchRepo;
  index: FaceIndex;
  analyseImage: AnalyseImage;
}

export class SearchService {
  constructor(private readonly deps: Deps) {}

  /** Photos whose faces are similar to an embedding (512 numbers; normalised here). */
  searchByEmbedding(embedding: ArrayLike<number>, options: SearchOptions = {}): PhotoMatch[] {
    let query: Float32Array;
    try {
      query = normalisedEmbedding(embedding);
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    return this.similarPhotos(query, options, new Set());
  }

  /**
   * Photos of the person whose face this is. The face's own photo is left out: one person appears once in
   * a photo, so any other face there is someone else, and showing it as "similar" misleads.
   */
  searchByFace(faceId: number, options: SearchOptions = {}): PhotoMatch[] {
    const query = this.deps.index.vector(faceId);
    if (!query) {
      const why = this.deps.repo.faceExists(faceId) ? 'was deleted (marked "not a face")' : 'does not exist';
      throw new UserError(`Face ${faceId} ${why}`, 'not_found');
    }
    const photoId = this.deps.repo.liveFace(faceId)?.photoId;
    return this.similarPhotos(query, options, new Set([faceId]), photoId);
  }

  /** Photos of the person in an image file: its largest face, or face number `face` (0-based, left to right). */
  async searchByImage(file: string, options: SearchOptions & { face?: number | undefined } = {}) {
    if (!existsSync(file) || !statSync(file).isFile())
      throw new UserError(`Image not found: ${file}`, 'not_found', { key: 'err.imageGone', params: {} });
    const found = (await this.deps.analyseImage(file)).sort((a, b) => a.box.x - b.box.x);
    if (found.length === 0)
      throw new UserError(`No face found in ${file}`, 'not_found', { key: 'err.noFaceInImage', params: {} });
    let used = 0;
    if (options.face !== undefined) {
      if (options.face >= found.length)
        throw new UserError(
          `${file} has ${found.length} face(s); the face number must be 0..${found.length - 1}`,
        );
      used = options.face;
    } else {
      const area = (f: ImageFace) => f.box.w * f.box.h;
      found.forEach((f, i) => {
        if (area(f) > area(found[used]!)) used = i;
      });
    }
    const results = this.searchByEmbedding(found[used]!.embedding, options);
    return { faces: found.map((f) => ({ box: f.box })), used, results } satisfies ImageSearchResult;
  }

  /**
   * Photos with every one of these people (names, case-insensitive): their confirmed and auto-assigned
   * faces, plus (unless `similar` is false) unassigned faces close to the mean of their confirmed faces.
   * Also how many photos each person is in on their own, so an empty answer for several people can say
   * that it is their being together that matched nothing.
   */
  searchByPeople(
    names: string[],
    options: SearchOptions & { similar?: boolean | undefined } = {},
  ): { results: PhotoMatch[]; people: { name: string; photos: number }[] } {
    const unique = [...new Map(names.map((n) => [n.trim().toLowerCase(), n.trim()])).values()];
    if (unique.length === 0 || unique.some((n) => !n)) throw new UserError('Give at least one person name');
    const people = unique.map((name) => {
      const p = this.deps.repo.personByName(name);
      if (!p)
        throw new UserError(`Unknown person "${name}"`, 'not_found', {
          key: 'err.noPerson',
          params: { name },
        });
      return p;
    });
    const photos = this.deps.repo.photoIds(options);
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const perPerson = people.map((p) =>
      this.personPhotos(p.id, photos, threshold, options.similar !== false),
    );
    const merged = mergePeople(perPerson).slice(0, options.top ?? DEFAULT_TOP);
    return {
      results: this.describe(merged),
      people: people.map((p, i) => ({ name: p.name, photos: perPerson[i]!.size })),
    };
  }

  status(): IndexStatus {
    return this.deps.index.status();
  }

  private personPhotos(
    personId: number,
    photos: Set<number> | null,
    threshold: number,
    similar: boolean,
  ): PersonPhotos {
    const { repo, index } = this.deps;
    const all = repo.personFaces(personId);
    const assigned = all.filter((f) => !photos || photos.has(f.photoId));
    const confirmed = all.filter((f) => f.kind === 'confirmed');
    // The mean of what the user confirmed; a person known only from machine assignments uses those.
    const centroid = this.centroid((confirmed.length > 0 ? confirmed : all).map((f) => f.faceId));
    const out: PersonPhotos = new Map();
    const add = (photoId: number, faceId: number, score: number, match: MatchKind) => {
      const list = out.get(photoId) ?? [];
      list.push({ faceId, score, match });
      out.set(photoId, list);
    };
    for (const f of assigned) {
      const v = index.vector(f.faceId);
      add(f.photoId, f.faceId, centroid && v ? dot(centroid, v) : 1, f.kind);
    }
    if (similar && centroid) {
      const rejected = repo.rejectedFaces(personId);
      const hits = index.search(centroid, SIMILAR_CANDIDATES, photos).filter((h) => h.score >= threshold);
      const taken = repo.assignedFaces(hits.map((h) => h.faceId));
      for (const h of hits)
        if (!taken.has(h.faceId) && !rejected.has(h.faceId)) add(h.photoId, h.faceId, h.score, 'similar');
    }
    return out;
  }

  private centroid(faceIds: number[]): Float32Array | null {
    const vectors = faceIds
      .map((id) => this.deps.index.vector(id))
      .filter((v): v is Float32Array => v !== null);
    if (vectors.length === 0) return null;
    const sum = new Float32Array(vectors[0]!.length);
    for (const v of vectors) for (let k = 0; k < v.length; k++) sum[k]! += v[k]!;
    return normalisedEmbedding(sum);
  }

  /** Best face per photo, above the threshold, growing the face search until `top` photos are found. */
  private similarPhotos(
    query: Float32Array,
    options: SearchOptions,
    exclude: Set<number>,
    excludePhoto?: number,
  ): PhotoMatch[] {
    const top = options.top ?? DEFAULT_TOP;
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const photos = this.deps.repo.photoIds(options);
    let k = top * 2 + exclude.size + 8;
    for (;;) {
      const hits = this.deps.index.search(query, k, photos);
      const best = new Map<number, { faceId: number; score: number }>();
      for (const h of hits) {
        if (h.score < threshold || best.size >= top) break;
        if (!exclude.has(h.faceId) && h.photoId !== excludePhoto && !best.has(h.photoId))
          best.set(h.photoId, h);
      }
      const exhausted = hits.length < k || (hits.at(-1)?.score ?? -1) < threshold;
      if (best.size >= top || exhausted) {
        const ranked = [...best].map(([photoId, h]) => ({
          photoId,
          score: h.score,
          faces: [{ faceId: h.faceId, score: h.score, match: 'similar' as const }],
        }));
        return this.describe(ranked);
      }
      k *= 4;
    }
  }

  private describe(
    ranked: {
      photoId: number;
      score: number;
      faces: { faceId: number; score: number; match: MatchKind }[];
    }[],
  ) {
    const photos = this.deps.repo.photos(ranked.map((r) => r.photoId));
    const faces = this.deps.repo.faceInfo(ranked.flatMap((r) => r.faces.map((f) => f.faceId)));
    const out: PhotoMatch[] = [];
    for (const r of ranked) {
      const photo = photos.get(r.photoId);
      if (!photo) continue;
      out.push({
        photoId: r.photoId,
        path: photo.path,
        takenAt: photo.takenAt,
        photoSize: photo.width && photo.height ? { width: photo.width, height: photo.height } : null,
        score: r.score,
        likeness: likenessOf(r.score),
        faces: r.faces.flatMap((f) => {
          const i = faces.get(f.faceId);
          return i
            ? [{ faceId: f.faceId, box: i.box, score: f.score, match: f.match, person: i.person }]
            : [];
        }),
      });
    }
    return out;
  }
}

/** Unassigned faces considered per person when matching by similarity to their confirmed faces. */
const SIMILAR_CANDIDATES = 2000;
