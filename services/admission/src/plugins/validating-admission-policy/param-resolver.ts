// VAP params from the hub: a paramKind resolves through the scheme to a shared informer. An
// informer is started as soon as a policy naming its kind appears, so it has usually synced
// by the time a request needs it; until then the binding fails to configure, as in kube.
import type { Selector } from '@splitplane/apimachinery';
import { NAMESPACE_INDEX, type Informer } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import type { InformerHub } from '../../chain/plugin-deps.js';
import { UnknownKindError, resourceForKind } from '../../hub/index.js';
import {
  PolicyConfigurationError,
  type ParamKind,
  type ParamResolver,
  type ParamStore,
} from '../../policy/index.js';

// Go's generated String() of v1.ParamKind, as kube prints it.
const paramKindString = (k: ParamKind) =>
  `&ParamKind{APIVersion:${k.apiVersion ?? ''},Kind:${k.kind ?? ''},}`;

class InformerParamStore implements ParamStore {
  constructor(
    private readonly informer: Informer,
    readonly namespaced: boolean,
    private readonly kind: ParamKind,
  ) {}

  get(namespace: string, name: string): KubeObject | undefined {
    this.#checkSynced();
    return this.informer.store.get(namespace, name);
  }

  list(namespace: string, selector: Selector): readonly KubeObject[] {
    this.#checkSynced();
    const objects = this.namespaced
      ? this.informer.store.byIndex(NAMESPACE_INDEX, namespace)
      : this.informer.store.list();
    return objects.filter((o) => selector.matches(o.metadata?.labels ?? {}));
  }

  #checkSynced(): void {
    if (!this.informer.hasSynced)
      throw new PolicyConfigurationError(
        `paramKind kind \`${paramKindString(this.kind)}\` not yet synced to use for admission`,
      );
  }
}

export class HubParamResolver implements ParamResolver {
  constructor(private readonly hub: InformerHub) {}

  forKind(kind: ParamKind): ParamStore | undefined {
    let resource;
    try {
      resource = resourceForKind(kind.apiVersion ?? '', kind.kind ?? '');
    } catch (err) {
      if (err instanceof UnknownKindError) return undefined;
      throw err;
    }
    return new InformerParamStore(this.hub.informer(resource), resource.namespaced ?? true, kind);
  }
}
