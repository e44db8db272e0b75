/**
 * When the Library re-reads the catalog while indexing runs. Its header ("57 photos · 12 faces") and the
 * progress strip ("12 of 57 photos analysed") must tell one story, but the strip follows every progress
 * event while the header is a catalog read, made at most every few seconds. So the header is re-read at
 * once when the job's phase or state changes (the scan has ended: every photo found is now counted; a
 * pause; the end), and a change that falls inside the quiet interval is read once the interval is over,
 * never dropped: the header used to stay at "25 photos · 0 faces" (read mid-scan) beside "0 of 57" for as
 * long as no later event came, e.g. while paused.
 */
export class LiveRefresh {
  private last = -Infinity;
  private seen: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly refresh: () => void,
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Hears one progress snapshot of the job the view shows. */
  note(p: { phase: string; state: string }): void {
    const key = `${p.state}|${p.phase}`;
    const changed = key !== this.seen;
    this.seen = key;
    const since = this.now() - this.last;
    if (changed || since >= this.everyMs) this.run();
    else
      this.timer ??= setTimeout(() => {
        this.run();
      }, this.everyMs - since);
  }

  private run(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.last = this.now();
    this.refresh();
  }
}
