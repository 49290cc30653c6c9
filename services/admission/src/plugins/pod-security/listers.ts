// The cluster reads PodSecurity needs, injected so a later session can back them with informers.
import type { KubeObject } from '@splitplane/scheme';

export interface NamespaceLister {
  /** The namespace object, or undefined when it does not exist (a cache miss may read live). */
  get(name: string): KubeObject | undefined | Promise<KubeObject | undefined>;
}

export interface PodLister {
  /** Pods of a namespace, for the warnings when its enforce level changes. */
  list(namespace: string): KubeObject[] | Promise<KubeObject[]>;
}
