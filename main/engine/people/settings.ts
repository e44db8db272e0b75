/**
 * Grouping and suggestion settings: each with a default chosen by measurement (see the Grouping section
 * of BENCHMARKS.md, written by `npm run bench -- people`) and a plain-language description for the
 * settings screen. Stored and read through NumericSettings (settings/numeric-settings.ts): unknown or
 * out-of-range stored values fall back to the default rather than break grouping.
 */
import type { SettingSpec } from '../settings/numeric-settings';

export interface PeopleSettings {
  groupingThreshold: number;
  groupingRelative: number;
  minGroupSize: number;
  seedMinFaceSize: number;
  seedMinSharpness: number;
  seedMaxPose: number;
}

export const settingSpecs: readonly SettingSpec<keyof PeopleSettings>[] = [
  {
    key: 'groupingThreshold',
    label: 'How alike faces must be to be grouped',
    description:
      'Higher: groups are purer but one person may be spread over several groups. Lower: fewer groups, but ' +
      'look-alikes (relatives) may end up together. It is easier to merge two groups than to split one.',
    default: 0.3,
    min: 0,
    max: 1,
  },
  {
    key: 'groupingRelative',
    label: 'How alike groups must be compared with their own faces',
    description:
      'Two groups whose own faces are very alike must also be very alike each other to be joined; groups of ' +
      'one person across many years may join more easily. Higher keeps look-alikes apart more often.',
    default: 0.45,
    min: 0,
    max: 1,
  },
  {
    key: 'minGroupSize',
    integer: true,
    label: 'Smallest group shown',
    description:
      'Groups with fewer faces than this stay hidden (strangers in the background, one-off faces).',
    default: 2,
    min: 1,
    max: 100,
  },
  {
    key: 'seedMinFaceSize',
    label: 'Smallest face that can start a group (pixels)',
    description:
      'Smaller faces carry too little detail to found a group; they can still join a group of clearer faces.',
    default: 24,
    min: 0,
    max: 1000,
  },
  {
    key: 'seedMinSharpness',
    label: 'Least sharpness for a face to start a group',
    description: 'Blurrier faces never start a group; they can still join one of sharper faces.',
    default: 0,
    min: 0,
    max: 100000,
  },
  {
    key: 'seedMaxPose',
    label: 'Most turned-away face that can start a group (0 frontal, 1 profile)',
    description: 'Faces turned further away never start a group; they can still join one.',
    default: 0.3,
    min: 0,
    max: 1,
  },
];

export function defaults(): PeopleSettings {
  return Object.fromEntries(settingSpecs.map((s) => [s.key, s.default])) as unknown as PeopleSettings;
}

/** Whether a face may start (seed) a group; a face that may not can still join one (cluster-batch.ts). */
export function isSeedQuality(q: { size: number; blur: number; pose: number }, s: PeopleSettings): boolean {
  return q.size >= s.seedMinFaceSize && q.blur >= s.seedMinSharpness && q.pose <= s.seedMaxPose;
}
