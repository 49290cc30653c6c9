// POST: kube's Store.Create — decode, namespace and name checks, the create pipeline, then a
// create-if-absent in etcd. generateName retries on a collision, as kube 1.32 does.
import { newBadRequest, deepCopyJson } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import { KeyExistsError, type CreateResult } from '@splitplane/storage';
import type { WriteContext, WriteResult } from './context.js';
import { checkNamespace, decodeBody } from './decode.js';
import { interpretStorageError } from './errors.js';
import { enforceFieldValidation } from './field-validation.js';
import { generateName, meta } from './object-meta.js';
import { prepareCreate } from './pipeline.js';
import type { Store } from './store.js';
import { PendingEffects } from './write-hooks.js';

const GENERATE_NAME_ATTEMPTS = 8;

export async function create(
  store: Store,
  ctx: WriteContext,
  body: Uint8Array,
): Promise<WriteResult> {
  if (ctx.subresource)
    throw newBadRequest(`create is not supported on the ${ctx.subresource} subresource`);
  const input = decodeBody(body, ctx.def);
  checkNamespace(input, ctx.def, ctx.namespace);
  const m = meta(input);
  if (m.resourceVersion) {
    // kube's storage refuses this with a 500; a client error is the honest answer.
    throw newBadRequest('resourceVersion should not be set on objects to be created');
  }
  ctx.warnings.push(...enforceFieldValidation(input, ctx.def, ctx.fieldValidation));
  const generated = !m.name && !!m.generateName;
  const stored = await createObject(store, ctx, input, generated);
  return { object: stored.obj, json: stored.json, code: 201 };
}

/**
 * The create pipeline and the etcd write; shared with bootstrap. Consumes `input`: the pipeline
 * mutates it in place, except that a generateName create works on a copy per attempt.
 */
export async function createObject(
  store: Store,
  ctx: WriteContext,
  input: KubeObject,
  generated: boolean,
): Promise<CreateResult> {
  const attempts = generated ? GENERATE_NAME_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const obj = attempt < attempts ? deepCopyJson(input) : input;
    const m = meta(obj);
    if (generated) m.name = generateName(m.generateName!);
    const name = m.name ?? '';
    const mark = ctx.warnings.length;
    // What the create reserved on the way (Service IPs, node ports) goes back on any failure.
    const effects = new PendingEffects();
    // kube admits a generateName create before it names the object: admission sees no name.
    const actx: WriteContext = generated
      ? { ...ctx, admissionTarget: { name: '', namespace: ctx.namespace } }
      : ctx;
    try {
      const prepared = await prepareCreate(store, actx, obj, effects);
      const stored = await store.storage.createRaw(
        store.key(ctx.def, ctx.namespace, name),
        prepared,
        {
          dryRun: ctx.dryRun,
          ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
        },
      );
      await effects.commit();
      return stored;
    } catch (err) {
      await effects.revert();
      if (err instanceof KeyExistsError && attempt < attempts) {
        ctx.warnings.length = mark;
        continue;
      }
      throw interpretStorageError(err, ctx.def, name);
    }
  }
}
