/**
 * Just enough of the protobuf wire format to edit an ONNX model at install time (see
 * [Note: fully convolutional detector] in detector-graph.ts). A message is read as a flat list of
 * fields (number, wire type, raw value) and written back byte for byte, so everything this code does
 * not touch survives unchanged; no schema and no dependency are needed for the few ONNX fields edited.
 */

/** One field of a protobuf message. Length-delimited values (strings, bytes, sub-messages) stay raw. */
export interface Field {
  no: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: 0 | 1 | 2 | 5;
  /** Varints as bigint (int64 fields); everything else as the raw bytes. */
  value: bigint | Uint8Array;
}

function readVarint(buf: Uint8Array, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length) throw new Error('protobuf: truncated varint');
    const byte = buf[pos.i++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return result;
    shift += 7n;
  }
}

function varintBytes(v: bigint): number[] {
  let x = BigInt.asUintN(64, v); // negative int64 values are ten bytes of two's complement
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

/** Splits a message into its fields, in file order. */
export function readFields(buf: Uint8Array): Field[] {
  const pos = { i: 0 };
  const out: Field[] = [];
  while (pos.i < buf.length) {
    const tag = Number(readVarint(buf, pos));
    const no = tag >>> 3;
    const wire = tag & 7;
    let value: bigint | Uint8Array;
    if (wire === 0) value = readVarint(buf, pos);
    else {
      const n = wire === 2 ? Number(readVarint(buf, pos)) : wire === 1 ? 8 : wire === 5 ? 4 : -1;
      if (n < 0) throw new Error(`protobuf: unsupported wire type ${wire} (field ${no})`);
      if (pos.i + n > buf.length) throw new Error(`protobuf: field ${no} runs past the end`);
      value = buf.subarray(pos.i, pos.i + n);
      pos.i += n;
    }
    out.push({ no, wire: wire as Field['wire'], value });
  }
  return out;
}

/** Serialises fields back into a message. */
export function writeFields(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (p: Uint8Array) => {
    parts.push(p);
    size += p.length;
  };
  for (const f of fields) {
    push(Uint8Array.from(varintBytes(BigInt((f.no << 3) | f.wire))));
    if (f.wire === 0) push(Uint8Array.from(varintBytes(f.value as bigint)));
    else {
      const bytes = f.value as Uint8Array;
      if (f.wire === 2) push(Uint8Array.from(varintBytes(BigInt(bytes.length))));
      push(bytes);
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A length-delimited field holding a string or a sub-message. */
export function bytesField(no: number, value: string | Uint8Array): Field {
  return { no, wire: 2, value: typeof value === 'string' ? utf8.encode(value) : value };
}

export function varintField(no: number, value: number | bigint): Field {
  return { no, wire: 0, value: BigInt(value) };
}

/** The first length-delimited field `no` as a string ('' when absent). */
export function stringOf(fields: readonly Field[], no: number): string {
  const f = fields.find((x) => x.no === no && x.wire === 2);
  return f ? fromUtf8.decode(f.value as Uint8Array) : '';
}

/** Every length-delimited field `no` as strings (repeated string fields). */
export function stringsOf(fields: readonly Field[], no: number): string[] {
  return fields.filter((x) => x.no === no && x.wire === 2).map((x) => fromUtf8.decode(x.value as Uint8Array));
}
