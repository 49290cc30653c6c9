// System-owned metadata: names from generateName, uids, timestamps, as kube's
// rest.FillObjectMetaSystemFields and names.SimpleNameGenerator produce them.
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '@splitplane/scheme';

/** kube's alphabet for generated name suffixes: no vowels (no words), no confusable 0/1/3. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** kube's MaxGeneratedNameLength: 63 - 5, so base+suffix stays a valid label. */
const MAX_BASE_LENGTH = 58;

export function generateName(base: string): string {
  const trimmed = base.length > MAX_BASE_LENGTH ? base.slice(0, MAX_BASE_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return trimmed + suffix;
}

let lastSecond = NaN;
let lastFormatted = '';

/** RFC 3339 at whole seconds, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  // Every create stamps the current second; format it once per second.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastFormatted = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastFormatted;
}

export function meta(obj: KubeObject): ObjectMeta {
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj.metadata;
}

export function fillSystemFields(obj: KubeObject, now: Date): void {
  const m = meta(obj);
  m.creationTimestamp = rfc3339(now);
  m.uid = randomUUID();
}

export function newUid(): string {
  return randomUUID();
}
