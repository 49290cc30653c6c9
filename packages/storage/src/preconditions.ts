// DeleteOptions/update preconditions, checked against the object as stored, worded as
// k8s.io/apiserver's storage.Preconditions.Check so the 409 reads the same.
import type { KubeObject } from '@splitplane/scheme';

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** The reason the preconditions fail for `obj` (stored at `rv`), or undefined when they hold. */
export function checkPreconditions(
  p: Preconditions | undefined,
  obj: KubeObject,
  rv: string,
): string | undefined {
  if (!p) return undefined;
  const uid = obj.metadata?.uid ?? '';
  if (p.uid && p.uid !== uid) {
    return `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${uid}`;
  }
  if (p.resourceVersion && p.resourceVersion !== rv) {
    return `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${rv}`;
  }
  return undefined;
}
