/**
 * Wires the people feature: repositories → services → the people.* handlers, plus the hooks the library
 * calls while indexing (XMP names after each photo, incremental grouping after each run).
 */
import { confidenceLevels } from '../../api/people';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../api/contract';
import { UserError } from '../../api/contract';
import type { peopleRequests } from '../../api/people';
import { AssignmentsRepo } from '../catalog/assignments-repo';
import { ClusterRepo } from '../catalog/cluster-repo';
import { FaceListing } from '../catalog/face-listing-repo';
import { FacesRepo } from '../catalog/faces-repo';
import { LabelsRepo } from '../catalog/labels-repo';
import { PhotosRepo } from '../catalog/photos-repo';
import { PeopleRepo, type PersonCounts } from '../catalog/people-repo';
import { GroupingChangesRepo } from '../catalog/grouping-changes-repo';
import { SearchRepo } from '../catalog/search-repo';
import { SettingsRepo } from '../catalog/settings-repo';
import { NumericSettings } from '../settings/numeric-settings';
import { UndoRepo } from '../catalog/undo-repo';
import type { Disposable, EngineContext } from '../context';
import { ProgressTracker } from '../jobs/progress';
import { ClusterService } from './cluster-service';
import { FaceCorrections } from './face-corrections';
import type { EmbedFromBox } from '../vision/shared-vision-pool';
import { labelFromFolders } from './folder-labels';
import { LabelsIo } from './labels-io';
import { PeopleService } from './people-service';
import { Regrouping } from './regrouping';
import { settingSpecs } from './settings';
import { SuggestionsService } from './suggestions-service';
import { UndoService } from './undo-service';
import { XmpService } from './xmp/xmp-service';

export interface PeopleOptions {
  /** Embeds a hand-drawn box (the engine passes its shared vision pool's, see handlers.ts). */
  embedFromBox: EmbedFromBox;
  /** Runs after every grouping run: recognition, so names follow groups and labels. */
  afterGrouped?: () => Promise<unknown>;
}

export interface PeopleFeature {
  handlers: Pick<Handlers, keyof typeof peopleRequests>;
  /** For the library: call after a photo's faces are stored, and after an indexing run. */
  hooks: {
    afterPhoto: (photoId: number, faceIds: number[]) => Promise<void>;
    afterIndex: () => Promise<void>;
  };
}

export function createPeopleFeature(
  ctx: EngineContext,
  disposables: Disposable[],
  options: PeopleOptions,
): PeopleFeature {
  const db = ctx.db;
  const people = new PeopleRepo(db);
  const assignments = new AssignmentsRepo(db);
  const clusters = new ClusterRepo(db);
  const faces = new FacesRepo(db);
  const labels = new LabelsRepo(db);
  const listing = new FaceListing(db);
  const settingsStore = new NumericSettings(settingSpecs, new SettingsRepo(db, 'people.setting.'));
  const settings = () => settingsStore.read();
  const embedFromBox = options.embedFromBox;
  const undo = new UndoService({ db, undo: new UndoRepo(db), people, assignments, clusters });
  const service = new PeopleService({ db, people, assignments, clusters, undo });
  const corrections = new FaceCorrections({
    assignments,
    clusters,
    faces,
    people: service,
    undo,
    embedFromBox,
    photoOf: (id) => labels.photo(id),
  });
  const grouping = new ClusterService({
    db,
    clusters,
    assignments,
    settings,
    faceChanges: new SearchRepo(db),
    groupChanges: new GroupingChangesRepo(db),
  });
  const progress = new ProgressTracker('cluster', ctx.emit);
  const dbPath = db.memory ? null : db.name;
  const recognition = new ProgressTracker('recognise', ctx.emit);
  const regrouping = new Regrouping(grouping, progress, {
    dbPath,
    settings,
    afterGrouped: options.afterGrouped,
    recognition,
  });
  ctx.jobs.register('cluster', {
    snapshot: () => progress.snapshot(),
    cancel: () => {
      regrouping.cancel();
    },
  });
  // The recognition that follows grouping ([Note: recognition follows grouping]): shown as its own job, so
  // the status says what runs. It is not cancelled: it writes its names in one go at its end, and the next
  // edit asks for another run anyway.
  ctx.jobs.register('recognise', { snapshot: () => recognition.snapshot(), cancel: () => undefined });
  disposables.push({
    dispose: () => {
      regrouping.cancel();
      return regrouping.settle();
    },
  });
  const suggestions = new SuggestionsService(clusters);
  const io = new LabelsIo({ labels, people, assignments, clusters, faces, service, undo, embedFromBox });
  const xmp = new XmpService({
    labels,
    assignments,
    faces,
    photos: new PhotosRepo(db),
    people: service,
    undo,
    embedFromBox,
    transaction: (fn) => db.transaction(fn)(),
  });

  /** An edit, then a grouping run scheduled for the faces it freed or anchored. */
  const edited = <T>(result: T): T => {
    regrouping.schedule();
    return result;
  };
  type Person = NonNullable<ReturnType<typeof people.get>>;
  const toDto = (p: Person, c: PersonCounts) => ({
    id: p.id,
    name: p.name,
    hidden: p.hidden,
    faces: c.confirmed + c.auto,
    auto: c.auto,
    suggested: c.suggested,
    coverFaceId: p.coverFaceId,
  });
  /** One person's counts only: counting every person's assignments for one page read them all. */
  const personDto = (id: number) => toDto(people.get(id)!, people.countsOf(id));

  const handlers: PeopleFeature['handlers'] = {
    'people.list': async ({ includeHidden }) => {
      await regrouping.flush();
      regrouping.warmSoon(); // the app has opened its people: make the first edit's grouping state ready
      const counts = people.counts();
      const none = { confirmed: 0, suggested: 0, auto: 0 };
      return people.list(includeHidden).map((p) => toDto(p, counts.get(p.id) ?? none));
    },
    'people.get': async ({ person }) => {
      // Grouping only: a person's page must not wait tens of seconds for recognition at library scale;
      // it reloads when the recognition run ends ([Note: recognition follows grouping]).
      await regrouping.flush();
      const p = service.resolve(person);
      const items = listing
        .ofPerson(p.id)
        .map((f) => ({
          ...f,
          sure: f.kind === 'auto' || (f.kind === 'suggested' && (f.confidence ?? 0) >= confidenceLevels.sure),
        }))
        .sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'confirmed' ? -1 : 1));
      return { person: personDto(p.id), faces: items, agreement: people.agreementOf(p.id) };
    },
    'people.groups': async ({ minSize }) => {
      await regrouping.flush();
      return grouping.groups(minSize ?? settings().minGroupSize);
    },
    'people.setApart': async () => {
      await regrouping.flush();
      return clusters.setApart(settings().minGroupSize);
    },
    'people.name': ({ faceIds, group, person }) => {
      const r = group !== undefined ? service.nameGroup(group, person) : service.name(faceIds ?? [], person);
      return edited({
        summary: r.summary,
        message: r.message,
        undoId: r.undoId,
        person: { id: r.person.id, name: r.person.name },
      });
    },
    'people.rename': ({ person, name }) => {
      const r = service.rename(person, name);
      const renamed = { id: r.person.id, name: r.person.name };
      return { summary: r.summary, message: r.message, undoId: r.undoId, person: renamed };
    },
    'people.merge': ({ from, into, name }) => {
      const { summary, message, undoId } = service.merge(from, into, name);
      return edited({ summary, message, undoId });
    },
    'people.split': ({ faceIds, name }) => {
      const r = corrections.split(faceIds, name);
      return edited({ summary: r.summary, message: r.message, undoId: r.undoId, group: r.clusterId });
    },
    'people.reject': ({ faceId, faceIds, person }) => {
      const r = corrections.reject(faceIds ?? [faceId!], person);
      return edited({ summary: r.summary, message: r.message, undoId: r.undoId, group: r.clusterId });
    },
    'people.hide': ({ person, hidden }) => {
      const { summary, message, undoId } = service.setHidden(person, hidden);
      return { summary, message, undoId };
    },
    'people.deleteFace': ({ faceId }) => edited(corrections.deleteFace(faceId)),
    'people.addFace': async ({ photoId, box, name }) => edited(await corrections.addFace(photoId, box, name)),
    'people.suggestions': async ({ limit, person }) => {
      await regrouping.flushAll();
      const p = person !== undefined ? service.resolve(person).id : undefined;
      return suggestions.list({
        ...(limit !== undefined ? { limit } : {}),
        ...(p !== undefined ? { person: p } : {}),
      });
    },
    'people.confirm': ({ faceIds }) => edited(service.confirmSuggestions(faceIds)),
    'people.cluster': ({ full }) => regrouping.run(full),
    'people.undo': async ({ expect }) => {
      await regrouping.flush();
      const undone = undo.undo(expect);
      if (!undone) return { undone: null };
      const { regroup, ...said } = undone;
      return regroup ? edited({ undone: said }) : { undone: said };
    },
    'people.history': ({ limit }) => undo.history(limit),
    'people.settings': () => settingsStore.list(),
    'people.setSetting': ({ key, value }) => settingsStore.set(key, value),
    'people.exportLabels': async () => {
      await regrouping.flushAll();
      return io.export();
    },
    'people.importLabels': async ({ labels: file }) => edited(await io.import(file)),
    'people.writeXmp': ({ photoIds }) => xmp.write(photoIds),
    'people.readXmp': async ({ photoIds }) => edited(await xmp.read(photoIds)),
    'people.labelFromFolders': ({ root }) => {
      let real: string;
      try {
        real = realpathSync(path.resolve(root));
      } catch {
        throw new UserError(`Folder not found: ${root}`, 'not_found');
      }
      return edited(labelFromFolders(real, { labels, assignments, people: service, undo }));
    },
  };

  return {
    handlers,
    hooks: {
      afterPhoto: async (photoId) => {
        await xmp.readPhoto(photoId);
      },
      afterIndex: () => regrouping.run(false).then(() => undefined),
    },
  };
}
