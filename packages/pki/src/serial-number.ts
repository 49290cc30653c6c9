import { randomBytes } from 'node:crypto';

/**
 * A random 128-bit positive serial number in hex. Go refuses negative serials and the
 * library's random default does not promise a positive leading byte, so we make our own.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
