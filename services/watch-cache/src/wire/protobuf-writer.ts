// The few protobuf wire primitives the hand-written encoders here need (varints, strings).

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

export function writeVarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

export function bigVarintSize(n: bigint): number {
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

export function writeBigVarint(out: Buffer, pos: number, n: bigint): number {
  while (n >= 0x80n) {
    out[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  out[pos++] = Number(n);
  return pos;
}

export function writeString(out: Buffer, pos: number, tag: number, s: string, len: number): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, len);
  return pos + out.write(s, pos, len, 'utf8');
}

// Optional scalar fields, sized and written alike by every encoder here. A string field's
// length is -1 and an int64's value -1n when the field is not written (proto3 omits
// defaults); int64s are two's complement, as the protobuf writer does, so negatives take
// 10 bytes.

/** The UTF-8 length of a proto3 string field, or -1 when it is empty (not written). */
export function stringFieldLength(s: string): number {
  return s !== '' ? Buffer.byteLength(s) : -1;
}

export function stringFieldSize(len: number): number {
  return len >= 0 ? 1 + varintSize(len) + len : 0;
}

/** An `optional int64` field: absent when undefined, written even when zero. */
export function optionalInt64(value: string | number | undefined): bigint {
  return value !== undefined ? BigInt.asUintN(64, BigInt(value)) : -1n;
}

/** A plain proto3 int32/int64 field: not written when zero. */
export function nonZeroInt64(value: string | number): bigint {
  const n = BigInt.asUintN(64, BigInt(value));
  return n !== 0n ? n : -1n;
}

export function int64FieldSize(value: bigint): number {
  return value >= 0n ? 1 + bigVarintSize(value) : 0;
}

export function writeInt64Field(out: Buffer, pos: number, tag: number, value: bigint): number {
  if (value < 0n) return pos;
  out[pos++] = tag;
  return writeBigVarint(out, pos, value);
}
