/**
 * The product's operating point: what the user would see, measured against the truth, with the shipped
 * confidence levels (see [Note: calibrated recognition] in open-set.ts). Used by `visage eval`, the
 * live-library test and the trust bench, so all three report the same numbers the same way:
 * - precision and count of auto-names, of "sure" suggestions and of all suggestions;
 * - coverage: the share of named people's other faces that get their right name (auto or suggested);
 * - strangers named: the share of never-named people's faces given any name (auto or suggested).
 */
import { confidenceLevels } from '../../../api/people';

export interface Offered {
  faceId: number;
  personId: number;
  kind: 'auto' | 'suggested' | null;
  confidence: number;
}

export interface PrecisionCount {
  count: number;
  /** null when nothing was offered at that level. */
  precision: number | null;
}

export interface OperatingPoint {
  auto: PrecisionCount;
  sure: PrecisionCount;
  suggested: PrecisionCount;
  /** Named people's undecided faces given their right name, of all of them. */
  coverage: number;
  /** Never-named people's faces given any name, of all of them. */
  strangersNamed: number;
  namedFaces: number;
  strangerFaces: number;
}

/**
 * `truth`: for every undecided face, the person id it really is when that person was named, else null
 * (a stranger). Faces missing from `truth` are ignored.
 */
export function operatingPoint(
  offered: readonly Offered[],
  truth: ReadonlyMap<number, number | null>,
): OperatingPoint {
  const tally = () => ({ count: 0, right: 0 });
  const auto = tally();
  const sure = tally();
  const suggested = tally();
  let covered = 0;
  let strangersNamed = 0;
  for (const o of offered) {
    if (!o.kind || !truth.has(o.faceId)) continue;
    const real = truth.get(o.faceId) ?? null;
    const right = real === o.personId ? 1 : 0;
    const t = o.kind === 'auto' ? auto : suggested;
    t.count++;
    t.right += right;
    if (o.kind === 'suggested' && o.confidence >= confidenceLevels.sure) {
      sure.count++;
      sure.right += right;
    }
    covered += right;
    if (real === null) strangersNamed++;
  }
  let namedFaces = 0;
  let strangerFaces = 0;
  for (const v of truth.values()) {
    if (v === null) strangerFaces++;
    else namedFaces++;
  }
  const pc = (t: { count: number; right: number }): PrecisionCount => ({
    count: t.count,
    precision: t.count ? t.right / t.count : null,
  });
  return {
    auto: pc(auto),
    sure: pc(sure),
    suggested: pc(suggested),
    coverage: namedFaces ? covered / namedFaces : 0,
    strangersNamed: strangerFaces ? strangersNamed / strangerFaces : 0,
    namedFaces,
    strangerFaces,
  };
}

/** The targets, as one check that names what failed (empty when all hold). */
export function missedTargets(op: OperatingPoint): string[] {
  const out: string[] = [];
  const below = (name: string, p: PrecisionCount, min: number) => {
    if (p.precision !== null && p.precision < min)
      out.push(`${name} precision ${(p.precision * 100).toFixed(1)} % < ${min * 100} % (${p.count})`);
  };
  below('auto-name', op.auto, 0.99);
  below('sure suggestion', op.sure, 0.95);
  below('suggestion', op.suggested, 0.8);
  if (op.strangersNamed > 0.05) out.push(`strangers named ${(op.strangersNamed * 100).toFixed(1)} % > 5 %`);
  return out;
}
