// Namespaces for namespaceSelector: the informer's store, and on a miss a live read, as kube's
// webhook and policy matchers do (a namespace created a moment ago may not have reached the
// informer yet). The matchers are synchronous, so the live read happens before them
// (prefetch) and is kept briefly for the lookups of that request.
import type { AdmissionAttributes, AdmissionContext, Plugin } from '../chain/plugin.js';
import type { InformerHub } from '../chain/plugin-deps.js';
import { RESOURCES } from '../hub/index.js';
import type { KubeObject } from '@splitplane/scheme';
import type { ReadonlyStore } from '@splitplane/informer';

const LIVE_TTL_MS = 5_000;

export class LiveNamespaceLister {
  readonly #store: ReadonlyStore;
  readonly #live = new Map<string, { object: KubeObject; until: number }>();

  constructor(private readonly hub: InformerHub) {
    this.#store = hub.informer(RESOURCES.namespaces()).store;
  }

  get(name: string): KubeObject | undefined {
    const cached = this.#store.get('', name);
    if (cached) return cached;
    const live = this.#live.get(name);
    if (live && live.until > Date.now()) return live.object;
    this.#live.delete(name);
    return undefined;
  }

  /** Reads the request's namespace live when the informer does not have it yet. */
  async prefetch(attributes: AdmissionAttributes): Promise<void> {
    const name = attributes.namespace;
    if (!name || this.get(name)) return;
    let object: KubeObject | undefined;
    try {
      object = await this.hub.get(RESOURCES.namespaces(), '', name);
    } catch {
      // Left to the matcher: a selector that needs the namespace reports it not found.
      return;
    }
    if (object) this.#live.set(name, { object, until: Date.now() + LIVE_TTL_MS });
  }
}

/** The plugin, with its request's namespace prefetched before each phase. */
export function withNamespacePrefetch(plugin: Plugin, namespaces: LiveNamespaceLister): Plugin {
  const wrapped: Plugin = { name: plugin.name, handles: (op) => plugin.handles(op) };
  if (plugin.admit) {
    const admit = plugin.admit.bind(plugin);
    wrapped.admit = async (a: AdmissionAttributes, c: AdmissionContext) => {
      await namespaces.prefetch(a);
      await admit(a, c);
    };
  }
  if (plugin.validate) {
    const validate = plugin.validate.bind(plugin);
    wrapped.validate = async (a: AdmissionAttributes, c: AdmissionContext) => {
      await namespaces.prefetch(a);
      await validate(a, c);
    };
  }
  return wrapped;
}
