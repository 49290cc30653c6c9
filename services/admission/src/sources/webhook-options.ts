// WebhookPluginOptions backed by the hub's shared informers: the configurations of one kind,
// namespaces for namespaceSelector, services and their endpoints for clientConfig.service,
// and CEL matchConditions with the authz-backed authorizer.
import type { InformerResource } from '@splitplane/informer';
import type { PluginDeps } from '../chain/plugin-deps.js';
import { CelCompiler } from '../cel/index.js';
import { RESOURCES } from '../hub/index.js';
import type { WebhookPluginOptions } from '../webhook/index.js';
import { GrpcCelAuthorizer } from './grpc-cel-authorizer.js';
import { CelMatchConditionEvaluator } from './match-condition-evaluator.js';
import type { LiveNamespaceLister } from './namespace-lister.js';
import { InformerServiceResolver } from './service-resolver.js';

export function webhookOptionsFrom(
  deps: PluginDeps,
  configurations: InformerResource,
  namespaces: LiveNamespaceLister,
): WebhookPluginOptions {
  const hub = deps.hub;
  const configs = hub.informer(configurations).store;
  return {
    configurations: { list: () => configs.list() },
    namespaces,
    serviceResolver: new InformerServiceResolver({
      services: hub.informer(RESOURCES.services()).store,
      endpoints: hub.informer(RESOURCES.endpoints()).store,
      endpointSlices: hub.informer(RESOURCES.endpointSlices()).store,
    }),
    matchConditions: new CelMatchConditionEvaluator(
      new CelCompiler(),
      deps.authz ? new GrpcCelAuthorizer(deps.authz) : undefined,
    ),
  };
}
