/**
 * Reads selected files out of an npm package tarball (.tgz). npm tarballs are plain ustar archives, so a
 * 512-byte header walk is all that is needed; this avoids a dependency for one install step.
 */
import { gunzipSync } from 'node:zlib';

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

/** Returns the contents of the wanted paths (as written in the archive, e.g. "package/x") that exist. */
export function extractFromTgz(tgz: Buffer, wanted: readonly string[]): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const found = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    const name = field(header, 0, 100);
    if (name === '') break; // two zero blocks end the archive
    const prefix = field(header, 345, 155);
    const fullName = prefix ? `${prefix}/${name}` : name;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`Corrupt tar header for ${fullName}`);
    const bodyStart = offset + 512;
    if (wanted.includes(fullName))
      found.set(fullName, Buffer.from(tar.subarray(bodyStart, bodyStart + size)));
    offset = bodyStart + Math.ceil(size / 512) * 512;
  }
  return found;
}
