// DELETE on a collection: kube's Store.DeleteCollection — list what the selectors match,
// delete each with the same semantics as a single DELETE, answer with the list as read.
import {
  FieldSelector,
  FieldSelectorParseError,
  Selector,
  SelectorParseError,
  fieldAttributes,
  newMethodNotSupported,
  validateFieldSelector,
} from '@splitplane/apimachinery';
import type { ListOptions } from '@splitplane/proto';
import {
  apiVersionOf,
  collectionPrefix,
  groupResourceOf,
  type KubeObject,
} from '@splitplane/scheme';
import { KeyNotFoundError } from '@splitplane/storage';
import type { WriteContext } from './context.js';
import { parseDeleteOptions } from './delete-options.js';
import { deleteOne } from './delete.js';
import { interpretStorageError } from './errors.js';
import type { Store } from './store.js';

export interface CollectionResult {
  items: KubeObject[];
  resourceVersion: string;
}

export async function deleteCollection(
  store: Store,
  ctx: WriteContext,
  optionsBytes: Uint8Array,
  listOptions: ListOptions | undefined,
): Promise<CollectionResult> {
  const { def } = ctx;
  if (!def.verbs.includes('deletecollection'))
    throw newMethodNotSupported(groupResourceOf(def), 'deletecollection');
  const options = parseDeleteOptions(optionsBytes);
  let labels: Selector;
  let fields: FieldSelector;
  try {
    labels = Selector.parse(listOptions?.labelSelector ?? '');
    fields = validateFieldSelector(def, FieldSelector.parse(listOptions?.fieldSelector ?? ''));
  } catch (err) {
    if (err instanceof SelectorParseError || err instanceof FieldSelectorParseError)
      throw err.toStatusError();
    throw err;
  }
  const listed = await store.storage
    .list(collectionPrefix(def, ctx.namespace), {
      predicate: (obj) =>
        labels.matches(obj.metadata?.labels ?? {}) && fields.matches(fieldAttributes(def, obj)),
      ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    })
    .catch((err: unknown) => {
      throw interpretStorageError(err, def, '');
    });
  for (const item of listed.items) {
    const name = item.metadata?.name ?? '';
    const itemCtx: WriteContext = {
      ...ctx,
      name,
      namespace: item.metadata?.namespace ?? ctx.namespace,
      // kube admits every item with the collection request's attributes (no name).
      admissionTarget: { name: '', namespace: ctx.namespace },
    };
    try {
      await deleteOne(store, itemCtx, name, options);
    } catch (err) {
      // Someone else deleted it meanwhile: that is what we wanted.
      if (err instanceof KeyNotFoundError) continue;
      if ((err as { code?: number }).code === 404) continue;
      throw err;
    }
  }
  const apiVersion = apiVersionOf(def);
  return {
    items: listed.items.map((o) => ({ ...o, apiVersion, kind: def.kind })),
    resourceVersion: listed.revision,
  };
}
