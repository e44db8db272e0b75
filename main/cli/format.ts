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
