/**
 * People as the UI sees them: named people, unnamed groups, and every edit (name, merge, reject, hide,
 * confirm, add/delete a face). Each edit goes through `edit()`, which refreshes what changed and offers
 * Undo (people.undo works across restarts, so the button is always honest).
 */
import type { z } from 'zod';
import type { Box } from '../../../../main/api/common';
import type { groupSchema, PersonDto } from '../../../../main/api/people';
import type { MessageDto, SettingDto } from '../../../../main/api/common';
import { api } from '../api/client';
import { say, t } from '../i18n/i18n.svelte';
import { jobs } from './jobs.svelte';
import { library } from './library.svelte';
import { notices } from './notices.svelte';
import { router } from './router.svelte';
import { setApart } from './set-apart.svelte';

export type GroupDto = z.infer<typeof groupSchema>;
/** A rename done, or refused because another person has the name (`taken`: merge with them instead). */
export type RenameResult = { renamed: { id: number; name: string } } | { taken: PersonDto } | null;
export interface HistoryEntry {
  id: number;
  summary: string;
  message: MessageDto | null;
  at: number;
  undone: boolean;
}
type PersonRef = number | string;

/**
 * What an undo took back, in words. Most edits read well after "Undone:" ("Undone: Named 3 faces as Ann");
 * a "not this person" does not (its message says what happens next), so its undo says what it means now.
 */
export function undoneText(undone: { summary: string; message: MessageDto | null }): string {
  const m = undone.message;
  // A face that was theirs is theirs again; a face that was only suggested may be suggested again.
  if (m?.key === 'edit.rejectedApart')
    return t('people.undoneRejectedApart', { name: String(m.params.name) });
  if (m?.key === 'edit.rejected') return t('people.undoneRejected', { name: String(m.params.name) });
  if (m?.key === 'edit.rejectedMany')
    return t('people.undoneRejectedMany', { name: String(m.params.name), n: Number(m.params.n) });
  return t('people.undone', { what: say(m, undone.summary) });
}

/** ASCII letters folded, as SQLite's NOCASE does (and no other letters). */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The engine's order of the people list (`ORDER BY name COLLATE NOCASE`), so a list patched in place reads
 * as its next read will. (Names are unique case-insensitively, so there are no ties; UTF-16 order differs
 * from SQLite's byte order only between characters above U+FFFF and U+E000–U+FFFF.)
 */
export function byName(a: { name: string }, b: { name: string }): number {
  const x = foldAscii(a.name);
  const y = foldAscii(b.name);
  return x < y ? -1 : x > y ? 1 : 0;
}

class People {
  list = $state.raw<PersonDto[]>([]);
  groups = $state.raw<GroupDto[]>([]);
  loaded = $state(false);
  showHidden = $state(false);
  /** Bumped after every edit, so open pages (person page, viewer, review) reload. */
  revision = $state(0);
  /** Counts edits and undos: a notice's Undo applies while no other came after its edit. */
  private editSeq = $state(0);
  private readonly undoListeners = new Set<() => Promise<void>>();
  /** Who each person merged away this session went into (`current` follows it). */
  private readonly mergedInto = new Map<number, number>();
  /** Recent edits, newest first (the undo history panel). */
  history = $state.raw<HistoryEntry[]>([]);

  start(): void {
    jobs.onChange((p) => {
      const ended = p.state === 'done' || p.state === 'cancelled' || p.state === 'failed';
      if (!ended || p.job === 'train') return;
      // Grouping or recognition wrote names: open pages reload too (a person's page does not wait
      // for recognition, so this is how its suggestions catch up).
      this.revision++;
      void this.refresh();
    });
    void this.refresh();
  }

  /**
   * Re-reads the people views; `groups: false` keeps the unnamed groups (an edit that cannot change them),
   * `list: false` keeps the people list (a rename patches it in place).
   */
  async refresh({
    groups: withGroups = true,
    list: withList = true,
  }: { groups?: boolean; list?: boolean } = {}): Promise<void> {
    try {
      const [list, groups, apart, history] = await Promise.all([
        withList ? api['people.list']({ includeHidden: this.showHidden }) : this.list,
        withGroups ? api['people.groups']({}) : this.groups,
        withGroups ? setApart.read() : setApart.groups,
        api['people.history']({ limit: 30 }),
      ]);
      this.list = list;
      // A person merged away and listed again: the merge was undone, they are themselves again.
      for (const from of this.mergedInto.keys())
        if (list.some((p) => p.id === from)) this.mergedInto.delete(from);
      this.groups = groups;
      setApart.show(apart);
      this.history = history;
      this.loaded = true;
    } catch (err) {
      notices.error(err);
    }
  }

  /** One person with their faces, for the person page. */
  person(person: PersonRef) {
    return api['people.get']({ person });
  }

  /** The grouping settings with their words, and a change to one (null restores its default). */
  settings(): Promise<SettingDto[]> {
    return api['people.settings']({});
  }

  setSetting(key: string, value: number | null): Promise<SettingDto[]> {
    return api['people.setSetting']({ key, value });
  }

  /**
   * Rebuilds the unnamed groups (after a grouping setting changed); a full re-group never touches names,
   * confirmations or rejections. Failures are shown as a notice.
   */
  async regroup(): Promise<boolean> {
    try {
      await api['people.cluster']({ full: true });
      this.revision++;
      await this.refresh();
      return true;
    } catch (err) {
      notices.error(err);
      return false;
    }
  }

  names(): string[] {
    return this.list.map((p) => p.name);
  }

  /**
   * Runs one edit: on success refreshes, announces the engine's summary with Undo; on failure says why.
   * Only what the edit can change is re-read: one serving thread answers every read, so a read that was
   * not needed delays the next edit. `faces`: it adds or deletes a face, so the library (its face counts)
   * is re-read too (three reads over every photo at library scale); `groups: false`: it cannot change the
   * unnamed groups (rename, hide: the engine schedules no grouping run for them); `people: false`: it
   * changes only what its reply says (a rename), so neither the people list nor open pages are read again
   * (the caller patches them) and only the history is.
   */
  async edit<T extends { summary: string; message: MessageDto; undoId?: number }>(
    run: () => Promise<T>,
    changes: {
      faces?: boolean;
      groups?: boolean;
      people?: boolean;
      /** Answers a refusal itself (true): no error notice is shown. */
      refused?: (err: unknown) => boolean;
    } = {},
  ): Promise<T | null> {
    try {
      const result = await run();
      const people = changes.people ?? true;
      if (people) this.revision++;
      await this.refresh({ groups: changes.groups ?? true, list: people });
      if (changes.faces) void library.refresh();
      // [Note: a notice undoes its own edit] Undo is last-in first-out: a notice's Undo is offered only
      // while its edit is the latest not undone (a later edit, or any undo, takes it away), so it never
      // undoes a different change than the one it names.
      const latest = this.noteEdit();
      notices.show(() => say(result.message, result.summary), 'info', {
        label: () => t('common.undo'),
        available: latest,
        // The engine checks too: an edit made in another window or from the command line is not seen here.
        run: () => (latest() ? this.undo(result.undoId) : undefined),
      });
      return result;
    } catch (err) {
      if (!changes.refused?.(err)) notices.error(err);
      return null;
    }
  }

  /**
   * Counts an undoable edit, made here or elsewhere in the app (Review's answers): the notices of earlier
   * edits lose their Undo. The check returned says whether this edit is still the latest not undone.
   */
  noteEdit(): () => boolean {
    const edit = ++this.editSeq;
    return () => this.editSeq === edit;
  }

  /**
   * Runs `f` after every undo, wherever it was asked (a notice, the sidebar, Ctrl+Z): Review reads its
   * queue again, since an undone answer's question is open again.
   */
  onUndo(f: () => Promise<void>): void {
    this.undoListeners.add(f);
  }

  /** `expect`: the edit a notice's Undo names; the engine refuses when another edit is the latest by now. */
  async undo(expect?: number): Promise<void> {
    // Every edit's notice loses its Undo: the latest edit is being undone, the older ones are not next.
    this.editSeq++;
    try {
      const res = await api['people.undo'](expect === undefined ? {} : { expect });
      const { undone } = res;
      notices.show(() => (undone ? undoneText(undone) : t('people.nothingToUndo')));
      this.revision++;
      await Promise.all([this.refresh(), ...[...this.undoListeners].map((f) => f())]);
      void library.refresh();
    } catch (err) {
      notices.error(err);
      // Refused because another window or the CLI changed something since: show what is latest now.
      if (expect !== undefined) await this.refresh({ groups: false, list: false });
    }
  }

  /**
   * The sidebar's Undo and Ctrl+Z: the change the sidebar names as the last one, and nothing else. Another
   * tab or the CLI may have made a later change this window has not read yet; a plain undo would take
   * that back under this change's name ([Note: a notice undoes its own edit]). With nothing shown, the
   * history is read first, so the next press names what it undoes.
   */
  async undoShown(): Promise<void> {
    const shown = this.history.find((e) => !e.undone);
    if (shown) return this.undo(shown.id);
    await this.refresh({ groups: false, list: false });
    if (!this.history.some((e) => !e.undone)) notices.show(() => t('people.nothingToUndo'));
  }

  nameFaces(faceIds: number[], person: PersonRef) {
    return this.edit(() => api['people.name']({ faceIds, person }));
  }

  nameGroup(group: number, person: PersonRef) {
    return this.edit(() => api['people.name']({ group, person }));
  }

  /**
   * A rename changes one name and nothing else, and its reply says which: the list is patched in place
   * (in the engine's order) and the person's page takes the name from the reply, so after the rename only
   * the history is read. Reading the list and the page again cost a rename three reads on the one serving
   * thread (the list works out every person's cover), which a full re-group at library scale slowed to
   * hundreds of milliseconds.
   */
  async rename(person: PersonRef, name: string): Promise<RenameResult> {
    const self = typeof person === 'number' ? person : this.named(person)?.id;
    const other = this.named(name);
    if (other && other.id !== self) return { taken: other };
    const refusal = { taken: false };
    const res = await this.edit(() => api['people.rename']({ person, name }), {
      groups: false,
      people: false,
      // The list was out of date: someone else has the name after all; offer the merge with them.
      refused: (err) => {
        refusal.taken = (err as { say?: MessageDto | null }).say?.key === 'err.nameTaken';
        return refusal.taken;
      },
    });
    if (res) {
      const { id, name: renamed } = res.person;
      this.list = this.list.map((p) => (p.id === id ? { ...p, name: renamed } : p)).sort(byName);
      return { renamed: res.person };
    }
    if (refusal.taken) {
      await this.refresh({ groups: false });
      const now = this.named(name);
      if (now && now.id !== self) return { taken: now };
      notices.show(() => t('err.nameTaken', { name }), 'error');
    }
    return null;
  }

  /** The listed person with this name, compared as the engine does (spaces folded, ASCII case ignored). */
  named(name: string): PersonDto | undefined {
    const key = foldAscii(name.trim().replace(/\s+/g, ' '));
    return this.list.find((p) => foldAscii(p.name) === key);
  }

  async merge(from: PersonRef, into: PersonRef) {
    const ids = this.idsOf(from, into);
    const res = await this.edit(() => api['people.merge']({ from, into }));
    if (res && ids) this.mergedInto.set(ids[0], ids[1]);
    return res;
  }

  /**
   * Who the person `id` is now: themself while listed, else whom they were merged into this session
   * (followed through later merges), else null (gone: their naming undone, merged away before a reload,
   * hidden). People's "Named …" card follows the person with this: it once kept offering "Open Old man"
   * after Old man was merged into someone else.
   */
  current(id: number): PersonDto | null {
    // At most one step per merge noted (a chain cannot loop longer than that).
    let at: number | undefined = id;
    for (let steps = 0; at !== undefined && steps <= this.mergedInto.size; steps++) {
      const p = this.list.find((x) => x.id === at);
      if (p) return p;
      at = this.mergedInto.get(at);
    }
    return null;
  }

  private idsOf(from: PersonRef, into: PersonRef): [number, number] | null {
    const id = (p: PersonRef) => (typeof p === 'number' ? p : this.named(p)?.id);
    const [f, i] = [id(from), id(into)];
    return f === undefined || i === undefined ? null : [f, i];
  }

  /**
   * `person` was renamed to `other`'s name: the two are one person, called `other`'s name. The one with
   * more confirmed faces is kept (as a merge from People keeps it; on a tie, `other`), under that name.
   * Returns the kept person's id, or null when the merge failed (the notice says why).
   */
  async mergeAs(person: PersonDto, other: PersonDto): Promise<number | null> {
    const keepPerson = person.faces > other.faces;
    const [from, into] = keepPerson ? [other.id, person.id] : [person.id, other.id];
    const res = await this.edit(() =>
      keepPerson
        ? api['people.merge']({ from, into, name: other.name })
        : api['people.merge']({ from, into }),
    );
    if (res) this.mergedInto.set(from, into);
    return res ? into : null;
  }

  hide(person: PersonRef, hidden: boolean) {
    return this.edit(() => api['people.hide']({ person, hidden }), { groups: false });
  }

  /**
   * "Not this person". A face that was theirs becomes a group of its own (as a face split off them does),
   * which People lists with the faces set apart, where it can be named, instead of letting it vanish.
   */
  reject(faceId: number, person: PersonRef) {
    return this.edit(() => api['people.reject']({ faceId, person }));
  }

  confirm(faceIds: number[]) {
    return this.edit(() => api['people.confirm']({ faceIds }));
  }

  deleteFace(faceId: number) {
    return this.edit(() => api['people.deleteFace']({ faceId }), { faces: true });
  }

  addFace(photoId: number, box: Box) {
    return this.edit(() => api['people.addFace']({ photoId, box }), { faces: true });
  }

  /**
   * Splits faces off their group or person: into a new unnamed group, or with a name to that person. A new
   * group too small to be listed among the unnamed groups is listed with the faces set apart, and a notice
   * says where it went, with a link to it.
   */
  async split(faceIds: number[], name?: string) {
    const res = await this.edit(() =>
      api['people.split']({ faceIds, ...(name === undefined ? {} : { name }) }),
    );
    if (res && name === undefined && setApart.holds(faceIds)) {
      const n = faceIds.length;
      notices.show(
        () => t('people.splitAlone', { n }),
        'info',
        {
          label: () => t('people.splitAloneShow', { n }),
          run: () => {
            router.go('people');
            // After People has drawn the section (it is there while the faces are set apart).
            setTimeout(
              () => document.getElementById('set-apart-title')?.scrollIntoView({ block: 'start' }),
              50,
            );
          },
        },
        undefined,
        // Said while the faces are still listed apart: once the split is undone (or they are named, or
        // join a listed group) "now on its own" is no longer true and "Show it" would lead nowhere.
        () => setApart.holds(faceIds),
      );
    }
    return res;
  }
}

export const people = new People();
