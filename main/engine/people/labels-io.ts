/**
 * Export and import of every label as JSON (main/api/people.ts: labelsFileSchema). Faces are identified
 * across catalogs by their photo's content hash and their box (matched by overlap), so a library moved to
 * another disk or indexed again keeps its labels; exporting, importing into a catalog of the same photos
 * and exporting again gives the same file. An import is one undoable edit; where the file disagrees with a
 * confirmation already in this catalog, the catalog's stays and the disagreement is reported.
 */
import type { MessageDto } from '../../api/common';
import { UserError } from '../../api/contract';
import type { LabelsFile } from '../../api/people';
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterRepo } from '../catalog/cluster-repo';
import type { FacesRepo } from '../catalog/faces-repo';
import type { LabelsRepo, PhotoRef } from '../catalog/labels-repo';
import type { PeopleRepo } from '../catalog/people-repo';
import { matchBoxes } from './box-match';
import type { EmbedFromBox } from '../vision/shared-vision-pool';
import type { PeopleService } from './people-service';
import type { UndoService } from './undo-service';

export interface LabelsIoDeps {
  labels: LabelsRepo;
  people: PeopleRepo;
  assignments: AssignmentsRepo;
  clusters: ClusterRepo;
  faces: FacesRepo;
  service: PeopleService;
  undo: UndoService;
  embedFromBox: EmbedFromBox;
}

export interface ImportReport {
  people: number;
  confirmed: number;
  rejected: number;
  deleted: number;
  created: number;
  splits: number;
  unchanged: number;
  unmatched: ReportLine[];
  conflicts: ReportLine[];
}

/** One file's line in the report: English for the CLI, `say` for the UI ([Note: worded messages]). */
interface ReportLine {
  path: string;
  reason: string;
  say: MessageDto;
}

const say = (key: string, params: MessageDto['params'] = {}): MessageDto => ({ key, params });

type Entry = LabelsFile['faces'][number];

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A person's name as the catalog compares it (trimmed, single spaces, any case). */
const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

export class LabelsIo {
  constructor(private readonly deps: LabelsIoDeps) {}

  export(): LabelsFile {
    const { labels, people } = this.deps;
    const rejected = labels.rejectedNames();
    const rows = labels.labelledFaces();
    const faces = rows
      .map((r) => ({
        faceId: r.faceId,
        entry: {
          photo: { hash: r.hash, path: r.path, width: r.width, height: r.height },
          box: r.box,
          source: r.source,
          person: r.confirmedName,
          rejected: [...(rejected.get(r.faceId) ?? [])].sort(byText),
          deleted: r.deleted,
        } satisfies Entry,
      }))
      .sort(
        (a, b) =>
          byText(a.entry.photo.hash ?? '', b.entry.photo.hash ?? '') ||
          byText(a.entry.photo.path, b.entry.photo.path) ||
          a.entry.box.x - b.entry.box.x ||
          a.entry.box.y - b.entry.box.y ||
          a.entry.box.w - b.entry.box.w ||
          a.entry.box.h - b.entry.box.h,
      );
    const index = new Map(faces.map((f, i) => [f.faceId, i]));
    const splits = new Map<number, { a: number[]; b: number[] }>();
    for (const s of labels.splits()) {
      const i = index.get(s.faceId);
      if (i === undefined) continue;
      let sp = splits.get(s.splitId);
      if (!sp) splits.set(s.splitId, (sp = { a: [], b: [] }));
      (s.side === 0 ? sp.a : sp.b).push(i);
    }
    const splitList = [...splits.values()]
      .filter((s) => s.a.length > 0 && s.b.length > 0)
      .map((s) => ({ a: s.a.sort((x, y) => x - y), b: s.b.sort((x, y) => x - y) }))
      .sort((x, y) => x.a[0]! - y.a[0]! || x.b[0]! - y.b[0]!);
    return {
      format: 'visage-labels',
      version: 1,
      people: people
        .list(true)
        .map((p) => ({ name: p.name, hidden: p.hidden }))
        .sort((a, b) => byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.name, b.name)),
      faces: faces.map((f) => f.entry),
      splits: splitList,
    };
  }

  private photosFor(entry: Entry): PhotoRef[] {
    if (entry.photo.hash) {
      const found = this.deps.labels.photosByHash(entry.photo.hash);
      if (found.length > 0) return found;
    }
    const byPath = this.deps.labels.photoByPath(entry.photo.path);
    return byPath && (entry.photo.hash === null || byPath.hash === null) ? [byPath] : [];
  }

  async import(file: LabelsFile): Promise<ImportReport> {
    for (const s of file.splits)
      for (const i of [...s.a, ...s.b])
        if (i >= file.faces.length)
          throw new UserError(`Split refers to face ${i}, but the file has ${file.faces.length}`);
    const report: ImportReport = {
      people: 0,
      confirmed: 0,
      rejected: 0,
      deleted: 0,
      created: 0,
      splits: 0,
      unchanged: 0,
      unmatched: [],
      conflicts: [],
    };
    // 1. Match entries to faces, photo by photo; embed boxes to add (hand-drawn faces) before writing.
    const targets: { entry: Entry; faceId: number | null; photoId: number; create: boolean }[][] =
      file.faces.map(() => []);
    const byPhoto = new Map<number, { photo: PhotoRef; items: number[] }>();
    file.faces.forEach((entry, i) => {
      const photos = this.photosFor(entry);
      if (photos.length === 0)
        report.unmatched.push({
          path: entry.photo.path,
          reason: 'photo not in the library',
          say: say('labels.photoMissing'),
        });
      for (const photo of photos) {
        let g = byPhoto.get(photo.id);
        if (!g) byPhoto.set(photo.id, (g = { photo, items: [] }));
        g.items.push(i);
      }
    });
    const toCreate: {
      slot: { faceId: number | null };
      photo: PhotoRef;
      entry: Entry;
      face: Awaited<ReturnType<EmbedFromBox>>;
    }[] = [];
    for (const { photo, items } of byPhoto.values()) {
      const faces = this.deps.labels.facesOf(photo.id);
      const match = matchBoxes(
        items.map((i) => file.faces[i]!.box),
        faces.map((f) => f.box),
      );
      for (const [k, i] of items.entries()) {
        const entry = file.faces[i]!;
        const slot = {
          entry,
          faceId: match[k]! >= 0 ? faces[match[k]!]!.id : null,
          photoId: photo.id,
          create: false,
        };
        targets[i]!.push(slot);
        if (slot.faceId !== null) continue;
        if (entry.source === 'detector') {
          report.unmatched.push({
            path: photo.path,
            reason: 'no face at this box',
            say: say('labels.noFace'),
          });
          continue;
        }
        try {
          slot.create = true;
          toCreate.push({
            slot,
            photo,
            entry,
            face: await this.deps.embedFromBox(photo.path, entry.box, photo.orientation),
          });
        } catch (err) {
          slot.create = false;
          report.unmatched.push({
            path: photo.path,
            reason: `could not embed the drawn face: ${String(err)}`,
            say: say('labels.embedFailed', { reason: String(err) }),
          });
        }
      }
    }
    // 2. One undoable edit.
    this.deps.undo.edit('import', (rec) => {
      const { assignments, clusters, people, service } = this.deps;
      const before = new Set(people.list(true).map((p) => p.id));
      for (const p of file.people) {
        const existing = service.find(p.name);
        const person = service.ensure(p.name, rec);
        if (!existing) report.people++;
        if (p.hidden && !person.hidden) {
          rec.person(person.id);
          people.setHidden(person.id, true);
        }
      }
      for (const c of toCreate) {
        const { modelId, ...input } = c.face;
        c.slot.faceId = this.deps.faces.insertExtra(
          c.photo.id,
          { ...input, box: c.entry.box },
          modelId,
          c.entry.source === 'xmp' ? 'xmp' : 'manual',
        );
        rec.createdFace(c.slot.faceId);
        report.created++;
      }
      for (const slots of targets)
        for (const slot of slots) {
          if (slot.faceId === null) continue;
          const { entry, faceId } = slot;
          const state = clusters.state(faceId, true);
          if (!state) continue;
          const where = entry.photo.path;
          const current = assignments.get(faceId);
          if (entry.deleted) {
            if (state.deletedAt !== null) report.unchanged++;
            else if (current?.kind === 'confirmed')
              report.conflicts.push({
                path: where,
                reason: `face ${faceId} is confirmed here; not deleted`,
                say: say('labels.confirmedNotDeleted'),
              });
            else {
              rec.face(faceId);
              rec.assignment(faceId);
              assignments.remove(faceId);
              clusters.setCluster(faceId, null);
              clusters.setDeleted(faceId, Date.now());
              report.deleted++;
            }
            continue;
          }
          if (state.deletedAt !== null) {
            report.conflicts.push({
              path: where,
              reason: `face ${faceId} was deleted here ("not a face")`,
              say: say('labels.deletedHere'),
            });
            continue;
          }
          if (entry.person !== null) {
            const target = service.ensure(entry.person, rec);
            if (current?.kind === 'confirmed' && current.personId === target.id) report.unchanged++;
            else if (current?.kind === 'confirmed')
              report.conflicts.push({
                path: where,
                reason: `face ${faceId} is confirmed as someone else here, not ${target.name}`,
                say: say('labels.confirmedAsOther', { name: target.name }),
              });
            else if (assignments.isRejected(faceId, target.id))
              report.conflicts.push({
                path: where,
                reason: `face ${faceId} was rejected from ${target.name} here`,
                say: say('labels.rejectedHere', { name: target.name }),
              });
            else {
              try {
                service.confirmFaces([faceId], target.id, rec, 'import');
                report.confirmed++;
              } catch (err) {
                report.conflicts.push({
                  path: where,
                  reason: err instanceof Error ? err.message : String(err),
                  say:
                    err instanceof UserError && err.say
                      ? err.say
                      : say('labels.notApplied', {
                          reason: err instanceof Error ? err.message : String(err),
                        }),
                });
              }
            }
          }
          for (const name of entry.rejected) {
            const p = service.ensure(name, rec);
            const now = assignments.get(faceId);
            if (assignments.isRejected(faceId, p.id)) report.unchanged++;
            else if (now?.kind === 'confirmed' && now.personId === p.id)
              report.conflicts.push({
                path: where,
                reason: `face ${faceId} is confirmed as ${p.name} here; not rejected`,
                say: say('labels.confirmedNotRejected', { name: p.name }),
              });
            else {
              rec.assignment(faceId);
              rec.rejection(faceId, p.id);
              rec.face(faceId);
              assignments.reject(faceId, p.id);
              clusters.setCluster(faceId, null);
              report.rejected++;
            }
          }
        }
      const known = new Set<string>();
      const sides = new Map<number, [number[], number[]]>();
      for (const x of this.deps.labels.splits()) {
        let e = sides.get(x.splitId);
        if (!e) sides.set(x.splitId, (e = [[], []]));
        e[x.side === 0 ? 0 : 1].push(x.faceId);
      }
      const splitKey = (a: number[], b: number[]): string => {
        const [p, q] = [a.toSorted((x, y) => x - y).join(','), b.toSorted((x, y) => x - y).join(',')];
        return p < q ? `${p}|${q}` : `${q}|${p}`;
      };
      for (const [a, b] of sides.values()) known.add(splitKey(a, b));
      for (const s of file.splits) {
        const ids = (list: number[]): number[] =>
          list.flatMap((i) => targets[i]!.map((t) => t.faceId)).filter((id): id is number => id !== null);
        const a = ids(s.a);
        const b = ids(s.b);
        if (a.length === 0 || b.length === 0) continue;
        if (known.has(splitKey(a, b))) {
          report.unchanged++;
          continue;
        }
        const split = clusters.nextSplitId();
        rec.split(split);
        for (const id of a) clusters.addSplit(split, id, 0);
        for (const id of b) clusters.addSplit(split, id, 1);
        report.splits++;
      }
      // A person this import created for faces that all turned out to conflict would be left empty: drop
      // it (a person the file lists without any face is kept, so a file round-trips exactly).
      const referenced = new Set(
        file.faces.flatMap((e) => [...(e.person === null ? [] : [e.person]), ...e.rejected]).map(nameKey),
      );
      for (const p of people.list(true)) {
        if (before.has(p.id) || !referenced.has(nameKey(p.name))) continue;
        if (people.deleteUnreferenced(p.id)) report.people = Math.max(0, report.people - 1);
      }
      return {
        summary: `Imported labels: ${report.confirmed} confirmed, ${report.rejected} rejected, ${report.deleted} deleted`,
      };
    });
    return report;
  }
}
