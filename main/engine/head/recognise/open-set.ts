/**
 * [Note: calibrated recognition] How Visage decides which name to offer for a face, and how sure it says
 * it is. The confidence shown is meant to be the real chance that the name is right *in this library*,
 * where most faces belong to people nobody named.
 *
 * For each named person p, a face's score s_p is its cosine to p's prototype in the active model's space
 * (nearest centroid, or a trained head: the same rule for both). A head's background-prototype penalty
 * is left out here: it is a second, uncalibrated open-set rule that bends the impostor scores this one
 * measures (with it, strangers far from every background cluster keep high scores in an unmeasured tail). Two distributions explain the scores
 * (score-distributions.ts): genuine G_p (faces of p) and impostor I_p (faces of anybody else). Then,
 * with π_0 the share of faces that belong to nobody named and π_p the share of p's faces, the open-set
 * posterior is
 *
 *     P(p | face) = π_p·LR_p(s_p) / (π_0 + Σ_q π_q·LR_q(s_q)),      LR_q = g_q(s_q) / i_q(s_q).
 *
 * The second-best person sits in the denominator, so a face that resembles two people is never sure of
 * either. Where each piece comes from, and why it is humble with few labels:
 * - I_p: location and scale from the library itself, the median and MAD of *all* undecided faces'
 *   scores against p (most of them are other people, whatever the library), widened when the faces known
 *   not to be p (other people's confirmed faces, faces in the same photo as p, "not p" answers) sit
 *   higher than that bulk predicts (relatives, look-alikes). The tail is a Student-t whose weight ν is the
 *   embedder's prior (model manifest): a stranger's lucky score is never "certain".
 * - G_p: leave-one-out scores of p's confirmed faces, shrunk towards the library's pooled value and,
 *   with few labels in the whole library, towards the embedder's prior separation.
 * - π: fitted to the library by a few EM rounds, with π_0 never below `minStrangerShare`: Visage never
 *   assumes everybody in the library was named.
 * - the name itself: a person's confirmed faces must agree with each other before the name is offered with
 *   full weight; the posterior is multiplied by the chance that they are one person's ([Note: a name's
 *   own faces agree]).
 * - hard constraints: a face rejected from p is never p; two faces in one photo are two people (a face
 *   sharing a photo with p's confirmed face is not p, and two undecided faces of one photo never both
 *   get p).
 * - groups: faces the grouping put together are decided together (group-decisions.ts).
 * The decision levels (auto, sure, suggest) are the contract's `confidenceLevels`; `visage eval` and the
 * live-library bench measure the precision each level really reaches.
 */
import { confidenceLevels } from '../../../api/people';
import { decideGroups, type NameDecision } from './group-decisions';
import { scoreTransformed, transform, type HeadParams, type Product } from '../model';
import {
  logLikelihoodRatio,
  meanAndStd,
  median,
  robustLocationScale,
  shrink,
  type TDist,
} from './score-distributions';
import { fromRows, gram, matrix, normaliseInPlace, rowsMatrix, type Matrix } from '../vector-math';

/** The embedder's prior (manifest `calibration`): tail weight and genuine separation in impostor-scale units. */
export interface EmbedderPrior {
  /** Student-t degrees of freedom of the impostor and genuine tails. */
  nu: number;
  /** Typical (genuine − impostor median) / impostor scale, for a prototype of 1, 2, 3, 5 and 10 faces. */
  genuineZ: Record<'1' | '2' | '3' | '5' | '10', number>;
  /** Typical genuine spread in impostor-scale units. */
  genuineSpread: number;
  /** Impostor location and scale to fall back on in a library too small to measure its own. */
  impostor: { location: number; scale: number };
}

export interface OpenSetOptions {
  minStrangerShare: number;
  /** Pseudo-observations behind the prior's genuine separation and the library's pooled value. */
  priorWeight: number;
  /** Rows of undecided faces used to measure the impostor bulk (a deterministic stride sample above it). */
  bulkSample: number;
  emRounds: number;
  /** Faces transformed and scored at a time: a transformed copy of all of them was 512 MB at 250 000. */
  scoreSlice: number;
}

export const defaultOpenSet: OpenSetOptions = {
  minStrangerShare: 0.25,
  priorWeight: 8,
  bulkSample: 20000,
  emRounds: 6,
  scoreSlice: 16_384,
};

export interface LibraryFace {
  id: number;
  photoId: number;
  /** The unnamed group the face is in, if any. */
  cluster: number | null;
  embedding: Float32Array;
}

export interface ConfirmedFace {
  faceId: number;
  photoId: number;
  personId: number;
  embedding: Float32Array;
}

export interface OpenSetInput {
  /** The model, with prototypes for exactly the people in `confirmed` (recognise.ts: withCurrentPrototypes). */
  params: HeadParams;
  confirmed: ConfirmedFace[];
  /** Faces to decide: every face nobody confirmed. */
  faces: LibraryFace[];
  /** face id → people it was rejected from. */
  rejected: Map<number, Set<number>>;
  prior: EmbedderPrior;
  /**
   * The faces' scores (undecidedScores, rows in `faces` order) when they were computed as the faces were
   * read ([Note: recognition scores while it reads]); the faces' embeddings are then not read.
   */
  scores?: Matrix;
}

/** Per-person fitted distributions, kept for explanation and tests. */
export interface PersonModel {
  personId: number;
  labelled: number;
  genuine: TDist;
  impostor: TDist;
  share: number;
  /** The chance that the person's confirmed faces are of one person ([Note: a name's own faces agree]). */
  agreement: number;
}

export interface OpenSetResult {
  decisions: NameDecision[];
  people: PersonModel[];
  strangerShare: number;
}

function priorGenuineZ(prior: EmbedderPrior, n: number): number {
  const pts: [number, number][] = (['1', '2', '3', '5', '10'] as const).map((k) => [
    Number(k),
    prior.genuineZ[k],
  ]);
  if (n <= 1) return pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i]!;
    if (n <= x1) {
      const [x0, y0] = pts[i - 1]!;
      return y0 + ((y1 - y0) * (n - x0)) / (x1 - x0);
    }
  }
  return pts[pts.length - 1]![1];
}

/** Leave-one-out cosines of each confirmed face to the centroid of its person's other faces (model space). */
function leaveOneOut(fc: Matrix, cls: Int32Array, K: number): number[][] {
  const d = fc.cols;
  const sums = Array.from({ length: K }, () => new Float64Array(d));
  const counts = new Int32Array(K);
  for (let i = 0; i < fc.rows; i++) {
    const s = sums[cls[i]!]!;
    for (let k = 0; k < d; k++) s[k]! += fc.data[i * d + k]!;
    counts[cls[i]!]!++;
  }
  const out: number[][] = Array.from({ length: K }, () => []);
  const v = new Float32Array(d);
  for (let i = 0; i < fc.rows; i++) {
    const c = cls[i]!;
    if (counts[c]! < 2) continue;
    const s = sums[c]!;
    for (let k = 0; k < d; k++) v[k] = s[k]! - fc.data[i * d + k]!;
    normaliseInPlace(v);
    let dot = 0;
    for (let k = 0; k < d; k++) dot += v[k]! * fc.data[i * d + k]!;
    out[c]!.push(dot);
  }
  return out;
}

/**
 * [Note: a name's own faces agree] The chance that a person's confirmed faces are of one person. Every
 * other piece of the rule trusts the names. But a name given to a group of two blurry strangers
 * ("Stranger") gets a prototype between two people that looks like nobody and a little like every poor
 * face; the prior (a typical person's faces agree) lifted its genuine model, and Review once called a
 * third person's half-face "quite sure (96.2 %)" for it. So the name's own faces are asked too: the
 * median of their leave-one-out scores against the rest (one odd face among many does not decide) is
 * weighed as a genuine score of an (n − 1)-face prototype against an impostor score. A name the user gave
 * starts at odds of 9 to 1 for being right: at even odds a person's three good faces that agree only as
 * well as the prior's typical faces lost their auto-names (lfw_dev, 5 faces named: 777 → 412 auto-names,
 * all right either way), at 9 to 1 they keep them, while two different people's faces still fall to a
 * chance of about 0.2 (shared sets, trust-mixed-name.test.ts) and their name is offered for little and
 * never "sure". The posterior is multiplied by this chance, so it also keeps the name below "sure" until
 * its faces agree. One face cannot disagree with itself: 1.
 */
const NAME_PRIOR_ODDS = 9;

export function nameAgreement(
  looScores: readonly number[],
  impostor: TDist,
  prior: EmbedderPrior,
  labelled: number,
): number {
  if (looScores.length === 0) return 1;
  const genuineOne: TDist = {
    mu: impostor.mu + priorGenuineZ(prior, labelled - 1) * impostor.sigma,
    sigma: prior.genuineSpread * impostor.sigma,
    nu: prior.nu,
  };
  const llr = logLikelihoodRatio(median(looScores), genuineOne, impostor);
  return 1 / (1 + Math.exp(-Math.max(-60, Math.min(60, llr))) / NAME_PRIOR_ODDS);
}

/** Undecided-face rows used for the impostor bulk: all, or an even stride through them. */
function sampleRows(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = n / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}

/**
 * The scores the rule reads for faces to decide: each face's cosine to each person in the model's space,
 * without the background penalty. Transformed and scored `slice` faces at a time.
 */
export function undecidedScores(
  params: HeadParams,
  x: Matrix,
  product: Product = gram,
  slice = defaultOpenSet.scoreSlice,
): Matrix {
  return scoreInSlices({ ...params, backgroundWeight: 0 }, x, product, slice);
}

/** scoreTransformed(params, transform(params, x)) without holding the whole transformed matrix. */
function scoreInSlices(params: HeadParams, x: Matrix, product: Product, slice: number): Matrix {
  if (x.rows <= slice) return scoreTransformed(params, transform(params, x), product);
  let out: Matrix | null = null;
  for (let from = 0; from < x.rows; from += slice) {
    const to = Math.min(x.rows, from + slice);
    // A view: transform reads the rows and writes its own output.
    const part = matrix(to - from, x.cols, x.data.subarray(from * x.cols, to * x.cols));
    const scores = scoreTransformed(params, transform(params, part), product);
    out ??= matrix(x.rows, scores.cols);
    out.data.set(scores.data, from * scores.cols);
  }
  return out!;
}

export function decideOpenSet(
  input: OpenSetInput,
  product: Product = gram,
  opts: OpenSetOptions = defaultOpenSet,
): OpenSetResult {
  const { params, confirmed, faces, rejected, prior } = input;
  const K = params.classes.length;
  if (K === 0 || faces.length === 0) return { decisions: [], people: [], strangerShare: 1 };
  const classOf = new Map(params.classes.map((p, i) => [p, i]));
  const conf = confirmed.filter((c) => classOf.has(c.personId));
  const cls = Int32Array.from(conf.map((c) => classOf.get(c.personId)!));
  const labelled = new Int32Array(K);
  for (const c of cls) labelled[c]!++;

  const fc = transform(
    params,
    fromRows(
      conf.map((c) => c.embedding),
      params.dim,
    ),
  );
  const plain = { ...params, backgroundWeight: 0 };
  const su =
    input.scores ??
    undecidedScores(
      params,
      rowsMatrix(
        faces.map((f) => f.embedding),
        params.dim,
      ),
      product,
      opts.scoreSlice,
    );
  if (su.rows !== faces.length || su.cols !== K)
    throw new Error(`Scores are ${su.rows} × ${su.cols}, expected ${faces.length} × ${K}`);
  const sc = conf.length ? scoreTransformed(plain, fc, product) : null;
  const N = faces.length;

  // Faces known not to be each person: other people's confirmed faces, same-photo faces, rejections.
  const known: number[][] = Array.from({ length: K }, () => []);
  if (sc)
    for (let i = 0; i < conf.length; i++)
      for (let c = 0; c < K; c++) if (c !== cls[i]) known[c]!.push(sc.data[i * K + c]!);
  const photoPeople = new Map<number, Set<number>>();
  for (let i = 0; i < conf.length; i++) {
    const set = photoPeople.get(conf[i]!.photoId) ?? new Set<number>();
    set.add(cls[i]!);
    photoPeople.set(conf[i]!.photoId, set);
  }
  const excluded: (Set<number> | null)[] = faces.map((f) => {
    const out = new Set<number>();
    for (const c of photoPeople.get(f.photoId) ?? []) out.add(c);
    for (const p of rejected.get(f.id) ?? []) {
      const c = classOf.get(p);
      if (c !== undefined) out.add(c);
    }
    return out.size ? out : null;
  });
  excluded.forEach((ex, i) => {
    for (const c of ex ?? []) known[c]!.push(su.data[i * K + c]!);
  });

  // Impostor: the bulk of undecided faces, widened by what the known negatives show.
  const rows = sampleRows(N, opts.bulkSample);
  const impostor: TDist[] = [];
  for (let c = 0; c < K; c++) {
    const values = rows.map((i) => su.data[i * K + c]!).concat(known[c]!);
    const { location, scale: measured } =
      values.length >= 20
        ? robustLocationScale(values)
        : { location: prior.impostor.location, scale: prior.impostor.scale };
    const scale = measured > 0 ? measured : prior.impostor.scale;
    // Known negatives above the bulk (relatives, look-alikes, rejected suggestions) widen the tail; one
    // extreme answer counts as z = 4 at most, so a single rejected twin cannot silence a person.
    const z2 = known[c]!.map((s) => Math.min(16, ((s - location) / scale) ** 2));
    const inflation = Math.sqrt(
      (z2.reduce((a, b) => a + b, 0) + opts.priorWeight) / (z2.length + opts.priorWeight),
    );
    impostor.push({ mu: location, sigma: scale * Math.max(1, inflation), nu: prior.nu });
  }

  // Genuine: leave-one-out scores in impostor-scale units, shrunk person → library → prior.
  const loo = sc ? leaveOneOut(fc, cls, K) : Array.from({ length: K }, () => []);
  const pooledZ: number[] = [];
  loo.forEach((v, c) => {
    for (const s of v) pooledZ.push((s - impostor[c]!.mu) / impostor[c]!.sigma);
  });
  const pooled = meanAndStd(pooledZ);
  const typicalN = conf.length / K;
  const libraryZ = shrink(pooled.mean, pooledZ.length, priorGenuineZ(prior, typicalN), opts.priorWeight);
  const spread = Math.max(
    prior.genuineSpread * 0.5,
    shrink(pooled.std, Math.max(0, pooledZ.length - 1), prior.genuineSpread, opts.priorWeight),
  );
  const genuine: TDist[] = impostor.map((imp, c) => {
    const own = loo[c]!.map((s) => (s - imp.mu) / imp.sigma);
    const z = shrink(meanAndStd(own).mean, own.length, libraryZ, 3);
    return { mu: imp.mu + z * imp.sigma, sigma: spread * imp.sigma, nu: prior.nu };
  });

  const agreement = loo.map((v, c) => nameAgreement(v, impostor[c]!, prior, labelled[c]!));

  // Likelihood ratios once; shares by EM.
  const lr = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < K; c++) {
      const s = su.data[i * K + c]!;
      lr[i * K + c] = excluded[i]?.has(c)
        ? 0
        : Math.exp(Math.min(60, logLikelihoodRatio(s, genuine[c]!, impostor[c]!)));
    }
  }
  let pi0 = 0.5;
  let pi = new Float64Array(K).fill(0.5 / K);
  for (let round = 0; round < opts.emRounds; round++) {
    let s0 = 0;
    const sc2 = new Float64Array(K);
    for (let i = 0; i < N; i++) {
      let z = pi0;
      for (let c = 0; c < K; c++) z += pi[c]! * lr[i * K + c]!;
      s0 += pi0 / z;
      for (let c = 0; c < K; c++) sc2[c]! += (pi[c]! * lr[i * K + c]!) / z;
    }
    const next0 = Math.max(opts.minStrangerShare, s0 / N);
    const rest = sc2.reduce((a, b) => a + b, 0) || 1;
    pi = sc2.map((v) => Math.max(1e-4, ((1 - next0) * v) / rest));
    pi0 = next0;
  }

  // The posteriors take the ratios' place, row by row (each row's ratios are read before it is written):
  // another N × K doubles at 250 000 faces is 300 MB.
  const posterior = lr;
  for (let i = 0; i < N; i++) {
    let z = pi0;
    for (let c = 0; c < K; c++) z += pi[c]! * lr[i * K + c]!;
    // A name whose own faces may not be one person is only as sure as the chance that they are.
    for (let c = 0; c < K; c++) posterior[i * K + c] = (agreement[c]! * pi[c]! * lr[i * K + c]!) / z;
  }

  const decisions = decideGroups({
    faces,
    classes: params.classes,
    posterior,
    scores: su.data,
    labelled,
    levels: confidenceLevels,
  });
  return {
    decisions,
    people: params.classes.map((personId, c) => ({
      personId,
      labelled: labelled[c]!,
      genuine: genuine[c]!,
      impostor: impostor[c]!,
      share: pi[c]!,
      agreement: agreement[c]!,
    })),
    strangerShare: pi0,
  };
}
