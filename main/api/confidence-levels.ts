/**
 * What the confidence of a name means (see [Note: calibrated recognition] in engine/head/recognise/open-set.ts):
 * the posterior chance the name is right. A face is named without asking at `auto`, a suggestion is
 * "sure" (listed first, may be confirmed in bulk) at `sure`, and suggested at all at `suggest`. Plain
 * constants, so the renderer words them from the same numbers (PURE_SHARED in .ci/import-graph.mjs).
 */
export const confidenceLevels = { auto: 0.99, sure: 0.95, suggest: 0.5 } as const;

/**
 * A person's name agreement below this (people.get's `agreement`: the chance that their confirmed faces
 * are of one person, [Note: a name's own faces agree]) means the faces look like different people: the
 * person's page and `visage person` say so.
 */
export const doubtfulNameBelow = 0.5;
