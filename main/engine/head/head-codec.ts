/**
 * Head parameters ⇄ one binary blob for the heads table: a little-endian u32 header length, a JSON
 * header (shapes, classes, settings that scoring needs), then the float32 arrays back to back.
 * Self-describing so an old head still loads after the code that trained it changed.
 */
import type { HeadParams } from './model';
import { matrix } from './vector-math';

const FORMAT = 1;

interface Header {
  v: number;
  dim: number;
  rank: number;
  classes: number[];
  subCentres: number;
  prototypes: number;
  background: number;
  backgroundWeight: number;
  attachThreshold: number;
}

export function encodeHead(p: HeadParams): Buffer {
  const header: Header = {
    v: FORMAT,
    dim: p.dim,
    rank: p.rank,
    classes: p.classes,
    subCentres: p.subCentres,
    prototypes: p.prototypes.rows,
    background: p.background.rows,
    backgroundWeight: p.backgroundWeight,
    attachThreshold: p.attachThreshold,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const arrays = [p.mean, p.a, p.b, p.prototypes.data, p.background.data];
  const floats = arrays.reduce((n, a) => n + a.length, 0);
  // Pad the header so the floats start 4-byte aligned (they are read back through a Float32Array view).
  const headLen = Math.ceil((4 + json.length) / 4) * 4;
  const out = Buffer.alloc(headLen + floats * 4);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let off = headLen;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, off);
    off += a.byteLength;
  }
  return out;
}

export function decodeHead(buf: Buffer): HeadParams {
  const len = buf.readUInt32LE(0);
  const h = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Header;
  if (h.v !== FORMAT) throw new Error(`Unknown head format version ${h.v}`);
  const headLen = Math.ceil((4 + len) / 4) * 4;
  const d = h.dim;
  const expected = d * (1 + 2 * h.rank + h.prototypes + h.background);
  if (buf.length - headLen !== expected * 4) throw new Error('Head blob has the wrong length for its header');
  const floats = new Float32Array(expected);
  new Uint8Array(floats.buffer).set(buf.subarray(headLen));
  let off = 0;
  const take = (n: number) => floats.slice(off, (off += n));
  const mean = take(d);
  const a = take(d * h.rank);
  const b = take(h.rank * d);
  const prototypes = matrix(h.prototypes, d, take(h.prototypes * d));
  const background = matrix(h.background, d, take(h.background * d));
  return {
    dim: d,
    rank: h.rank,
    mean,
    a,
    b,
    classes: h.classes,
    subCentres: h.subCentres,
    prototypes,
    background,
    backgroundWeight: h.backgroundWeight,
    attachThreshold: h.attachThreshold,
  };
}
