/**
 * Writing the catalog's names to XMP sidecars ([Note: sidecar names] for which file).
 * [Note: whose regions] A region in a sidecar is Visage's to change when it lies on a face Visage knows
 * (by overlap): a confirmed face's region carries the catalog's name (so renames and merges reach the
 * file), and a region whose name was rejected on its face, or whose face was marked "not a face", is
 * removed. Every other region — on no face of ours, a pet, a focus area, or a name Visage has not decided
 * about — is kept as it is. MP regions get the same treatment when the file has MP:RegionInfo, and the
 * file's people keyword lists follow the names (people-keywords.ts). A photo with no sidecar gets
 * `photo.jpg.xmp`, started from the photo's embedded XMP so tools that read the sidecar first lose nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MessageDto } from '../../../api/common';
import type { AssignmentsRepo } from '../../catalog/assignments-repo';
import type { LabelsRepo, PhotoRef } from '../../catalog/labels-repo';
import { existingSidecars, sidecarCandidates } from '../../library/sidecars';
import { matchBoxes } from '../box-match';
import type { PeopleService } from '../people-service';
import { mpFromDoc, type MpRegion } from './mp-regions';
import { mwgFromDoc, type MwgRegion } from './mwg-regions';
import { orientedToStored, storedToOriented, swapsAxes, type NormBox } from './orientation';
import { parseXmpDoc } from './xmp-doc';
import { describeXmpError, embeddedXmp, photoOrientation, writeAtomically } from './xmp-files';
import { withPeople } from './xmp-update';

export interface XmpWriterDeps {
  labels: LabelsRepo;
  assignments: AssignmentsRepo;
  people: PeopleService;
}

export interface XmpWriteReport {
  photos: number;
  written: string[];
  unchanged: number;
  /** `error` in English for the CLI; `say` words it for the UI ([Note: worded messages]). */
  errors: { path: string; error: string; say: MessageDto }[];
}

interface KnownFace {
  id: number;
  /** Displayed-image normalised box. */
  box: NormBox;
  name: string | null;
  deleted: boolean;
}

const isFace = (type: string | null): boolean => type === null || type.toLowerCase() === 'face';

export class XmpWriter {
  constructor(private readonly deps: XmpWriterDeps) {}

  /**
   * Photos whose sidecars may need writing: those with names, with any other decision on a face
   * (rejections, deletions), and those that already have a sidecar (a removal must reach it).
   */
  private candidates(): PhotoRef[] {
    const { labels } = this.deps;
    const ids = new Set(labels.photosWithNames().map((p) => p.id));
    for (const r of labels.labelledFaces()) ids.add(r.photoId);
    for (const p of labels.donePhotos())
      if (sidecarCandidates(p.path).some((f) => existsSync(f))) ids.add(p.id);
    return [...ids]
      .sort((a, b) => a - b)
      .map((id) => labels.photo(id))
      .filter((p): p is PhotoRef => p !== null);
  }

  async write(photoIds?: readonly number[]): Promise<XmpWriteReport> {
    const photos = photoIds
      ? photoIds.map((id) => this.deps.labels.photo(id)).filter((p): p is PhotoRef => p !== null)
      : this.candidates();
    const out: XmpWriteReport = { photos: photos.length, written: [], unchanged: 0, errors: [] };
    for (const photo of photos) {
      try {
        const files = await this.writeOne(photo, out);
        if (files.length > 0) out.written.push(...files);
        else out.unchanged++;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        out.errors.push({
          path: photo.path,
          error,
          say: { key: 'xmp.writeFailed', params: { reason: error } },
        });
      }
    }
    return out;
  }

  private faces(photo: PhotoRef & { width: number; height: number }): KnownFace[] {
    const W = photo.width;
    const H = photo.height;
    const names = new Map(this.deps.labels.namedFaces(photo.id).map((f) => [f.id, f.name]));
    return this.deps.labels.facesOf(photo.id).map((f) => ({
      id: f.id,
      box: { x: f.box.x / W, y: f.box.y / H, w: f.box.w / W, h: f.box.h / H },
      name: names.get(f.id) ?? null,
      deleted: f.deleted,
    }));
  }

  /** Whether a region (displayed box, name) is Visage's to replace or remove ([Note: whose regions]). */
  private owned(box: NormBox, name: string | null, faces: KnownFace[]): boolean {
    const m = matchBoxes(
      [box],
      faces.map((f) => f.box),
    )[0]!;
    if (m < 0) return false;
    const face = faces[m]!;
    if (face.deleted || face.name !== null) return true;
    const person = name === null ? null : this.deps.people.find(name);
    return person !== null && this.deps.assignments.isRejected(face.id, person.id);
  }

  private async writeOne(photo: PhotoRef, report: XmpWriteReport): Promise<string[]> {
    const { width, height } = photo;
    if (width === null || height === null) throw new Error('The photo has not been indexed yet');
    const orientation = photo.orientation ?? (await photoOrientation(photo.path));
    const faces = this.faces({ ...photo, width, height });
    const named = faces.filter((f) => !f.deleted && f.name !== null);
    const stored = swapsAxes(orientation) ? { w: height, h: width } : { w: width, h: height };
    const targets = await existingSidecars(photo.path);
    const jobs: { file: string; text: string | null }[] = [];
    for (const file of targets) jobs.push({ file, text: await readFile(file, 'utf8') });
    if (jobs.length === 0)
      jobs.push({ file: sidecarCandidates(photo.path)[0]!, text: (await embeddedXmp(photo.path)).xmp });
    const written: string[] = [];
    for (const job of jobs) {
      let doc: Document | null = null;
      try {
        doc = job.text === null ? null : parseXmpDoc(job.text);
      } catch (err) {
        const fresh = !targets.includes(job.file);
        if (!fresh) {
          report.errors.push({
            path: photo.path,
            error: `${path.basename(job.file)}: ${describeXmpError(err)}; left untouched`,
            say: {
              key: 'xmp.sidecarDamaged',
              params: { file: path.basename(job.file), reason: describeXmpError(err) },
            },
          });
          continue;
        }
        job.text = null; // unreadable embedded XMP: start the new sidecar empty
      }
      const mwgKept: MwgRegion[] = (doc ? (mwgFromDoc(doc)?.regions ?? []) : []).filter(
        (r) => !isFace(r.type) || !this.owned(storedToOriented(r.box, orientation), r.name, faces),
      );
      const mp = doc ? mpFromDoc(doc) : null;
      const mpKept: MpRegion[] | null = mp
        ? mp.regions.filter((r) => r.box === null || !this.owned(r.box, r.name, faces))
        : null;
      const ours = named.map((f) => ({ name: f.name, box: f.box }));
      const update = withPeople(doc ? job.text : null, {
        mwg: {
          appliedTo: stored,
          regions: [
            ...ours.map((f) => ({ name: f.name, type: 'Face', box: orientedToStored(f.box, orientation) })),
            ...mwgKept,
          ],
        },
        mp: mpKept === null ? null : [...ours, ...mpKept],
      });
      const fresh = !targets.includes(job.file);
      if (!update.changed || (fresh && doc === null && named.length === 0)) continue;
      written.push(await writeAtomically(job.file, update.text));
    }
    if (report.errors.some((e) => e.path === photo.path) && written.length === 0)
      throw new Error(report.errors.pop()!.error);
    return written;
  }
}
