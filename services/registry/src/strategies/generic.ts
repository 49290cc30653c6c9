// The strategy for resources without one of their own (custom resources, and any
// built-in added to the scheme before its strategy): metadata rules only, generation
// tracking as kube's custom resource strategy does it (everything but metadata, and but
// status when status is a subresource).
import type { ResourceDefinition } from '@splitplane/scheme';
import type { Strategy } from './strategy.js';
import { buildStrategy } from './internal/base.js';

export function genericStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, { generation: def.subresources.status ? 'content' : 'all' });
}
