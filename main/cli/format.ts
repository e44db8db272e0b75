/** Human-readable formatting for CLI output. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** A chance that a name is right: stops at 99.9 % unless certain (0.9996 is not "100.0 %"). */
export function chance(p: number): string {
  return percent(p < 1 ? Math.min(p, 0.999) : p);
}

/**
 * A person's faces in words: those named (by the user or, without asking, by Visage) are theirs; the
 * suggestions are questions still open. The same split as the People page shows.
 */
export function faceCounts(p: { faces: number; auto: number; suggested: number }): string {
  const named =
    p.auto > 0
      ? `${p.faces} faces (${p.faces - p.auto} confirmed, ${p.auto} named by Visage)`
      : `${p.faces} confirmed`;
  return `${named}, ${p.suggested} suggested`;
}
