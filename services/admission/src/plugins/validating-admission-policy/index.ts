// ValidatingAdmissionPolicy over the shared informers: policies and bindings, namespaces,
// params by paramKind, and the authz-backed CEL authorizer.
import type { PluginFactory } from '../../chain/plugin-deps.js';
import { CelCompiler } from '../../cel/index.js';
import { RESOURCES } from '../../hub/index.js';
import {
  ValidatingAdmissionPolicyPlugin,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyBinding,
} from '../../policy/index.js';
import { GrpcCelAuthorizer } from '../../sources/grpc-cel-authorizer.js';
import { LiveNamespaceLister, withNamespacePrefetch } from '../../sources/namespace-lister.js';
import { StaticEquivalentResourceMapper } from '../../webhook/index.js';
import { HubParamResolver } from './param-resolver.js';

export { ValidatingAdmissionPolicyPlugin };
export { HubParamResolver } from './param-resolver.js';

export const validatingAdmissionPolicyFactory: PluginFactory = (deps) => {
  const { hub, log } = deps;
  const policies = hub.informer(RESOURCES.validatingAdmissionPolicies());
  const bindings = hub.informer(RESOURCES.validatingAdmissionPolicyBindings()).store;
  const namespaces = new LiveNamespaceLister(hub);
  const params = new HubParamResolver(hub);
  // Start a policy's param informer when the policy appears, not on its first request.
  const warmParams = (obj: unknown) => {
    const kind = (obj as ValidatingAdmissionPolicy).spec?.paramKind;
    if (!kind) return;
    try {
      params.forKind(kind);
    } catch (err) {
      log.warn({ err, paramKind: kind }, 'cannot watch the paramKind of a policy');
    }
  };
  policies.on('add', warmParams);
  policies.on('update', (_old, obj) => warmParams(obj));
  const plugin = new ValidatingAdmissionPolicyPlugin({
    policies: { list: () => policies.store.list() as unknown as ValidatingAdmissionPolicy[] },
    bindings: { list: () => bindings.list() as unknown as ValidatingAdmissionPolicyBinding[] },
    namespaces,
    params,
    equivalents: new StaticEquivalentResourceMapper(),
    compiler: new CelCompiler(),
    ...(deps.authz ? { authorizer: new GrpcCelAuthorizer(deps.authz) } : {}),
  });
  return withNamespacePrefetch(plugin, namespaces);
};
