// PATCH: the patch document goes to the registry verbatim with its type; the registry
// applies it to the current object inside its retry loop.
import { newUnsupportedMediaType } from '@splitplane/apimachinery';
import type { WriteResponse, PatchRequest } from '@splitplane/proto';
import { negotiateFor } from '../negotiation/encode.js';
import { contentTypeEssence } from '../negotiation/media-type.js';
import { readBody } from '../negotiation/read-body.js';
import { unaryCall } from '../backends/unary.js';
import { optionalBool, writeOptions } from './options.js';
import { type ResourceRequest, attributes, scopeOf, sendObject } from './resource-request.js';

/** In kube's order; strategic merge patch only exists for built-in kinds. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export async function handlePatch(r: ResourceRequest): Promise<void> {
  const patchType = contentTypeEssence(r.req.headers['content-type']);
  if (!PATCH_TYPES.includes(patchType)) throw newUnsupportedMediaType(patchType, PATCH_TYPES);
  const opts = writeOptions(r.query, 'PatchOptions');
  const force = optionalBool(r.query, 'force') ?? false;
  negotiateFor(r.req, r.def);
  const patch = await readBody(r.req, r.deps.maxRequestBodyBytes);
  const request: PatchRequest = { attributes: attributes(r, opts), patchType, patch, force };
  const client = r.deps.registry;
  const response = await unaryCall<PatchRequest, WriteResponse>(
    client,
    client.patch,
    request,
    scopeOf(r),
    'registry',
  );
  sendObject(r, response);
}
