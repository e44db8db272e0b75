/**
 * What the user's edits and refusals say, as message keys with parameters ([Note: worded messages]):
 * names, counts and file names, never an internal id. The renderer words each key in the user's
 * language; the English here is for the CLI, the logs and the undo log's `summary` column.
 */
import path from 'node:path';
import { UserError } from '../../api/contract';
import type { MessageDto } from '../../api/common';

type Params = Record<string, string | number>;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const s = (p: Params, k: string): string => String(p[k]);
const n = (p: Params): number => Number(p.n);

const english = {
  'edit.named': (p: Params) => `Named ${plural(n(p), 'face')} as ${s(p, 'name')}`,
  'edit.namedGroup': (p: Params) => `Named a group of ${plural(n(p), 'face')} as ${s(p, 'name')}`,
  'edit.confirmed': (p: Params) => `Confirmed ${plural(n(p), 'suggestion')}`,
  'edit.renamed': (p: Params) => `Renamed ${s(p, 'from')} to ${s(p, 'to')}`,
  'edit.hid': (p: Params) => `Hid ${s(p, 'name')}`,
  'edit.showed': (p: Params) => `Showed ${s(p, 'name')}`,
  'edit.merged': (p: Params) => `Merged ${s(p, 'from')} into ${s(p, 'into')} (${plural(n(p), 'face')})`,
  'edit.rejected': (p: Params) =>
    `Marked a face as not ${s(p, 'name')}: it will not be suggested as ${s(p, 'name')} again`,
  'edit.rejectedMany': (p: Params) =>
    `Marked ${plural(n(p), 'face')} as not ${s(p, 'name')}: they will not be suggested as ${s(p, 'name')} again`,
  'edit.rejectedApart': (p: Params) =>
    `Marked a face as not ${s(p, 'name')}: it is on its own in People now, to be named there`,
  'edit.mergedAs': (p: Params) =>
    `Merged ${s(p, 'from')} into ${s(p, 'into')} (${plural(n(p), 'face')}), now named ${s(p, 'name')}`,
  'edit.splitGroup': (p: Params) => `Split ${plural(n(p), 'face')} off an unnamed group`,
  'edit.splitGroupAs': (p: Params) => `Split ${plural(n(p), 'face')} off an unnamed group as ${s(p, 'name')}`,
  'edit.moved': (p: Params) => `Moved ${plural(n(p), 'face')} from ${s(p, 'from')} to ${s(p, 'to')}`,
  'edit.splitPerson': (p: Params) => `Split ${plural(n(p), 'face')} off ${s(p, 'name')}`,
  'edit.deletedFace': () => 'Removed a detection that was not a face',
  'edit.addedFace': (p: Params) => `Marked a missed face in ${s(p, 'file')}`,
  'edit.addedFaceAs': (p: Params) => `Marked a missed face in ${s(p, 'file')} as ${s(p, 'name')}`,
  'err.emptyName': () => 'A person needs a non-empty name',
  'err.longName': () => 'A name can be at most 200 characters',
  'err.noPerson': (p: Params) => `No person named "${s(p, 'name')}"`,
  'err.personGone': () => 'That person no longer exists',
  'err.faceGone': () => 'That face no longer exists',
  'err.groupGone': () => 'That group no longer exists; the list was out of date',
  'err.samePhotoNamed': (p: Params) =>
    `This face is in the same photo as a face already named ${s(p, 'name')}; two faces in one photo are two people`,
  'err.samePhoto': (p: Params) =>
    `Two of these faces are in the same photo; they cannot both be ${s(p, 'name')}`,
  'err.nameTaken': (p: Params) => `There is already a person named "${s(p, 'name')}"; merge them instead`,
  'err.samePerson': (p: Params) => `${s(p, 'name')} cannot be merged into themselves`,
  'err.sameName': (p: Params) => `${s(p, 'name')} already has that name`,
  'err.noFaces': () => 'No faces given',
  'err.splitMixed': () => 'The faces to split off must all be in the same group or the same person',
  'err.splitAll': () => "Choose only some of the group's faces to split off",
  'err.boxEmpty': () => 'A face box needs a positive width and height',
  'err.boxOutside': () => 'The box lies outside the photo',
  'err.photoGone': () => 'That photo is no longer in the library',
  'err.notLatest': () =>
    'That change is no longer the latest (a later change was made, perhaps in another window or from the command line); nothing was undone. Undo the later changes first',
} as const;

export type MessageKey = keyof typeof english;
/** Every key this module can say (the renderer must word each one: test/unit/i18n-messages.test.ts). */
export const MESSAGE_KEYS = Object.keys(english) as MessageKey[];

/** A message and its English wording. */
export function said(key: MessageKey, params: Params = {}): { summary: string; message: MessageDto } {
  return { summary: english[key](params), message: { key, params } };
}

/** A UserError that carries its message key, so the UI can word it. */
export function refuse(
  key: MessageKey,
  params: Params = {},
  code: 'bad_request' | 'not_found' | 'conflict' = 'bad_request',
): UserError {
  const m = said(key, params);
  return new UserError(m.summary, code, m.message);
}

/** The file name a message may show (never the full path or an id). */
export function fileName(p: string): string {
  return path.basename(p);
}
