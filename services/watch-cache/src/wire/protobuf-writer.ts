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
