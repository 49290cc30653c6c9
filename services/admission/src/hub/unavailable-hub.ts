// The hub of an admission service started without --watch-cache-address/--nats-servers: a
// plugin that needs cluster state fails at start with a message naming the missing flags.
import type { Informer, InformerResource } from '@splitplane/informer';
import type { KubeObject } from '@splitplane/scheme';
import type { InformerHub } from '../chain/plugin-deps.js';

export class HubUnavailableError extends Error {
  constructor(resource: InformerResource) {
    super(
      `admission needs --watch-cache-address and --nats-servers to read ${resource.resource}.${resource.group || 'core'}`,
    );
    this.name = 'HubUnavailableError';
  }
}

export class UnavailableHub implements InformerHub {
  informer(resource: InformerResource): Informer {
    throw new HubUnavailableError(resource);
  }

  get(resource: InformerResource): Promise<KubeObject | undefined> {
    return Promise.reject(new HubUnavailableError(resource));
  }

  list(resource: InformerResource): Promise<KubeObject[]> {
    return Promise.reject(new HubUnavailableError(resource));
  }
}
