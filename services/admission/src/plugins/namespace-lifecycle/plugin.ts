// NamespaceLifecycle (k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle): no new
// content in a namespace that is missing or terminating, and the immortal namespaces cannot
// be deleted. Mutating in kube, so it runs before every other plugin sees the object.
import { newInternalError, newNotFound } from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import { admissionForbidden, type ObjectLister } from '../builtin-support/index.js';

export const NAMESPACE_LIFECYCLE_PLUGIN_NAME = 'NamespaceLifecycle';
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/** How long a deleted namespace is read live rather than from the (maybe stale) cache. */
const FORCE_LIVE_LOOKUP_TTL_MS = 30_000;
/** A create that misses the cache waits this long for the watch to catch up, as kube does. */
const MISSING_NAMESPACE_WAIT_MS = 50;
/** Bounded like kube's LRU (100 entries). */
const FORCE_LIVE_LOOKUP_MAX = 100;

/** Access reviews must not tell whether a namespace exists. */
const ACCESS_REVIEWS = new Set(['authorization.k8s.io/localsubjectaccessreviews']);

export interface NamespaceLifecycleOptions {
  /** The namespace informer's view. */
  namespaces: ObjectLister;
  /** A consistent read from the server, for cache misses. */
  liveNamespace(name: string): Promise<KubeObject | undefined>;
  immortalNamespaces?: readonly string[];
  missingNamespaceWaitMs?: number;
  now?: () => number;
}

const phaseOf = (ns: KubeObject | undefined) =>
  (ns?.status as { phase?: string } | undefined)?.phase;

const isNamespaceKind = (a: AdmissionAttributes) =>
  a.kind.group === '' && a.kind.kind === 'Namespace';

export class NamespaceLifecyclePlugin implements Plugin {
  readonly name = NAMESPACE_LIFECYCLE_PLUGIN_NAME;
  private readonly immortal: Set<string>;
  /** name → expiry (ms) */
  private readonly forceLiveLookup = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: NamespaceLifecycleOptions) {
    this.immortal = new Set(options.immortalNamespaces ?? IMMORTAL_NAMESPACES);
    this.now = options.now ?? Date.now;
  }

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE' || operation === 'DELETE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (a.operation === 'DELETE' && isNamespaceKind(a) && this.immortal.has(a.name)) {
      throw admissionForbidden(a, 'this namespace may not be deleted');
    }
    if (a.namespace === '' && !isNamespaceKind(a)) return;
    if (isNamespaceKind(a)) {
      // A deleted namespace turns Terminating; read it live for a while so a lagging cache
      // cannot let content into it.
      if (a.operation === 'DELETE') this.markForLiveLookup(a.name);
      return;
    }
    if (a.operation === 'DELETE') return;
    if (ACCESS_REVIEWS.has(`${a.resource.group}/${a.resource.resource}`)) return;

    let namespace = await this.cached(a.namespace);
    if (!namespace && a.operation === 'CREATE') {
      // Creating a namespace and then content in it right away is common: let the watch land.
      await sleep(this.options.missingNamespaceWaitMs ?? MISSING_NAMESPACE_WAIT_MS);
      namespace = await this.cached(a.namespace);
    }
    const forceLive =
      namespace !== undefined && phaseOf(namespace) === 'Active' && this.mustReadLive(a.namespace);
    if (!namespace || forceLive) {
      try {
        namespace = await this.options.liveNamespace(a.namespace);
      } catch (err) {
        throw toInternal(err);
      }
      if (!namespace) throw newNotFound({ group: '', resource: 'namespaces' }, a.namespace);
    }

    if (a.operation === 'CREATE' && phaseOf(namespace) === 'Terminating') {
      const err = admissionForbidden(
        a,
        `unable to create new content in namespace ${a.namespace} because it is being terminated`,
      );
      err.status.details = {
        ...err.status.details,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${a.namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      };
      throw err;
    }
  }

  private async cached(name: string): Promise<KubeObject | undefined> {
    try {
      return await this.options.namespaces.get('', name);
    } catch (err) {
      throw toInternal(err);
    }
  }

  private markForLiveLookup(name: string) {
    this.forceLiveLookup.delete(name);
    this.forceLiveLookup.set(name, this.now() + FORCE_LIVE_LOOKUP_TTL_MS);
    while (this.forceLiveLookup.size > FORCE_LIVE_LOOKUP_MAX) {
      const oldest = this.forceLiveLookup.keys().next().value as string;
      this.forceLiveLookup.delete(oldest);
    }
  }

  private mustReadLive(name: string): boolean {
    const expiry = this.forceLiveLookup.get(name);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.forceLiveLookup.delete(name);
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** kube answers any lookup failure other than not-found with a 500. */
const toInternal = (err: unknown) => newInternalError(err);
