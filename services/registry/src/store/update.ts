// PUT: kube's Store.Update with optimistic concurrency on the body's resourceVersion.
import {
  OBJECT_MODIFIED,
  invalid,
  newBadRequest,
  newConflict,
  newInvalid,
  deepCopyJson,
} from '@splitplane/apimachinery';
import { groupResourceOf } from '@splitplane/scheme';
import type { WriteContext, WriteResult } from './context.js';
import { checkName, checkNamespace, decodeBody } from './decode.js';
import { enforceFieldValidation } from './field-validation.js';
import { meta } from './object-meta.js';
import { updateScale } from './scale.js';
import type { Store } from './store.js';
import { runUpdate } from './update-loop.js';
import { allowCreateOnUpdate, allowUnconditionalUpdate } from './update-policy.js';

export async function update(
  store: Store,
  ctx: WriteContext,
  body: Uint8Array,
): Promise<WriteResult> {
  if (ctx.subresource === 'scale') return updateScale(store, ctx, body);
  if (ctx.subresource && ctx.subresource !== 'status') {
    throw newBadRequest(`update is not supported on the ${ctx.subresource} subresource`);
  }
  const input = decodeBody(body, ctx.def);
  checkName(input, ctx.name);
  checkNamespace(input, ctx.def, ctx.namespace);
  ctx.warnings.push(...enforceFieldValidation(input, ctx.def, ctx.fieldValidation));
  const bodyRv = meta(input).resourceVersion;
  const gr = groupResourceOf(ctx.def);
  return runUpdate(store, ctx, {
    allowCreate: !ctx.subresource && allowCreateOnUpdate(ctx.def),
    compute(current, rv) {
      const next = deepCopyJson(input);
      if (current) {
        if (bodyRv && bodyRv !== rv) throw newConflict(gr, ctx.name, OBJECT_MODIFIED);
        if (!bodyRv && !allowUnconditionalUpdate(ctx.def)) {
          throw newInvalid({ group: ctx.def.group, kind: ctx.def.kind }, ctx.name, [
            invalid('metadata.resourceVersion', '', 'must be specified for an update'),
          ]);
        }
      } else if (bodyRv) {
        throw newConflict(gr, ctx.name, OBJECT_MODIFIED);
      }
      return next;
    },
  });
}
