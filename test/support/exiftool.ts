/** exiftool (Debian: libimage-exiftool-perl) as the reference reader and validator of XMP in tests. */
import { execFileSync } from 'node:child_process';

export function exiftool(args: string[]): string {
  try {
    return execFileSync('exiftool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; status?: number };
    // exiftool exits 1 with output when it only has warnings to report (e.g. -validate).
    if (typeof e.stdout === 'string' && e.stdout !== '' && e.status === 1) return e.stdout;
    throw new Error(
      `exiftool is needed for this test (apt-get install libimage-exiftool-perl): ${String(err)}`,
    );
  }
}

type Area = { x: number; y: number; w: number; h: number };
export interface ExiftoolRegion {
  name: string | null;
  type: string | null;
  /** Stored-image normalised area, top-left corner (null when exiftool gives no usable normalised area). */
  area: Area | null;
  unit: string | null;
}

interface Json {
  RegionInfo?: {
    AppliedToDimensions?: { W: number; H: number };
    RegionList?: {
      Name?: string;
      Type?: string;
      Area?: { X: number; Y: number; W: number; H: number; Unit?: string };
    }[];
  };
  RegionInfoMP?: { Regions?: { PersonDisplayName?: string; Rectangle?: string }[] };
  Orientation?: number;
}

/** MWG regions (stored image) and MP regions (displayed image) as exiftool reads them, and the orientation. */
export function exiftoolPeople(file: string): {
  mwg: ExiftoolRegion[];
  mp: { name: string | null; rect: Area | null }[];
  orientation: number | null;
} {
  const [j] = JSON.parse(
    exiftool(['-j', '-n', '-struct', '-XMP-mwg-rs:RegionInfo', '-XMP-MP:RegionInfoMP', '-Orientation', file]),
  ) as Json[];
  const dims = j?.RegionInfo?.AppliedToDimensions;
  const mwg = (j?.RegionInfo?.RegionList ?? []).map((r): ExiftoolRegion => {
    const a = r.Area;
    const unit = a?.Unit ?? null;
    let area: Area | null = a ? { x: a.X - a.W / 2, y: a.Y - a.H / 2, w: a.W, h: a.H } : null;
    if (area && unit === 'pixel')
      area = dims ? { x: area.x / dims.W, y: area.y / dims.H, w: area.w / dims.W, h: area.h / dims.H } : null;
    return { name: r.Name ?? null, type: r.Type ?? null, area, unit };
  });
  const mp = (j?.RegionInfoMP?.Regions ?? []).map((r) => {
    const v = r.Rectangle?.split(',').map(Number);
    return {
      name: r.PersonDisplayName ?? null,
      rect: v && v.length === 4 ? { x: v[0]!, y: v[1]!, w: v[2]!, h: v[3]! } : null,
    };
  });
  return { mwg, mp, orientation: typeof j?.Orientation === 'number' ? j.Orientation : null };
}

/** exiftool -validate's warnings and errors for a file, one a line (empty when it says OK). */
export function validate(file: string): string[] {
  const out = exiftool(['-validate', '-warning', '-error', '-a', '-s', file]);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Validate\s*:/.test(l));
}
