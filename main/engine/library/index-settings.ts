/**
 * What the indexer looks for. Defaults measured on the shared photo sets (issue 2, vision tests): the
 * detector finds faces of 20 px per window reliably (recall 0.999), and a 0.7 score kept 43/43 true faces
 * with 0 false positives on the dlib group photos (same at 0.5–0.8).
 */
import type { SettingSpec } from '../settings/numeric-settings';
import { DEFAULT_MIN_FACE_SIZE, DEFAULT_MIN_SCORE } from '../vision/face-pipeline';

export type IndexSettingKey = 'minFaceSize' | 'minScore';

export const indexSettingSpecs: readonly SettingSpec<IndexSettingKey>[] = [
  {
    key: 'minFaceSize',
    label: 'Smallest face to find (pixels)',
    description:
      'Faces smaller than this in the original photo are ignored. Lower finds people far in the background but ' +
      'takes longer and adds faces too small to recognise well. Applies to photos indexed from now on.',
    default: DEFAULT_MIN_FACE_SIZE,
    min: 12,
    max: 1000,
    integer: true,
  },
  {
    key: 'minScore',
    label: 'How sure the detector must be that it is a face',
    description:
      'Higher: fewer false faces (patterns, posters) but some real faces in poor light or at an angle are missed. ' +
      'Lower: more faces found, more mistakes to delete. Applies to photos indexed from now on.',
    default: DEFAULT_MIN_SCORE,
    min: 0.3,
    max: 0.99,
  },
];
