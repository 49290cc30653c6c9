// Applies a mutating webhook's JSONPatch to the object it was sent, as kube does: an
// undecodable or inapplicable patch is a 500 (not subject to failurePolicy).
import { newInternalError, type StatusError, deepCopyJson } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import jsonpatch from 'fast-json-patch';
import { WebhookCallError } from './errors.js';

export const JSON_PATCH_TYPE = 'JSONPatch';

function decode(patch: string): unknown {
  try {
    return JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
  } catch (err) {
    throw newInternalError(err);
  }
}

/** The patched object, or `undefined` when the patch is empty. */
export function applyWebhookPatch(
  webhookName: string,
  object: KubeObject | undefined,
  patch: string,
  patchType: string,
): KubeObject | undefined {
  if (patchType !== JSON_PATCH_TYPE)
    throw new WebhookCallError(webhookName, `unsupported patch type "${patchType}"`);
  const ops = decode(patch);
  if (ops === null) return undefined;
  if (!Array.isArray(ops))
    throw newInternalError(
      new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch'),
    );
  if (ops.length === 0) return undefined;
  if (!object) {
    throw newInternalError(
      new Error(
        `admission webhook "${webhookName}" attempted to modify the object, which is not supported for this operation`,
      ),
    );
  }
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(
      deepCopyJson(object),
      ops as jsonpatch.Operation[],
      true,
      true,
      true,
    ).newDocument;
  } catch (err) {
    throw newInternalError(err) as StatusError;
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result))
    throw newInternalError(new Error('the patched document is not an object'));
  return result as KubeObject;
}
