// Service strategy (pkg/registry/core/service): defaults, cluster IP bookkeeping, validation.
// Strategies stay pure: ClusterIP and NodePort allocation is the store's, through the
// Service write hooks (src/allocators/service-allocation.ts), which run after prepare and
// before validate.
import type { ResourceDefinition } from '@splitplane/scheme';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { ensureObject, isObject, strings } from '../internal/json.js';
import { NAME_DNS_1035_LABEL } from '../internal/meta.js';
import {
  defaultService,
  dropTypeDependentFields,
  patchAllocatedValues,
  prepareServiceIPs,
} from './service-defaults.js';
import { validateClusterIPsUpdate, validateServiceSpec } from './service-validation.js';

export function serviceStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    nameRule: NAME_DNS_1035_LABEL,
    defaults: defaultService,
    prepareForCreate(svc) {
      svc['status'] = { loadBalancer: {} };
      prepareServiceIPs(ensureObject(svc, 'spec'));
    },
    prepareForUpdate(svc, old) {
      const spec = ensureObject(svc, 'spec');
      const oldSpec = isObject(old['spec']) ? old['spec'] : {};
      patchAllocatedValues(spec, oldSpec);
      // A changed clusterIP with untouched clusterIPs follows the new clusterIP.
      if (
        spec['clusterIP'] !== oldSpec['clusterIP'] &&
        strings(spec['clusterIPs']).join() === strings(oldSpec['clusterIPs']).join()
      ) {
        delete spec['clusterIPs'];
      }
      dropTypeDependentFields(spec, oldSpec);
      prepareServiceIPs(spec);
    },
    validate: validateServiceSpec,
    validateUpdate: (svc, old) =>
      validateClusterIPsUpdate(
        isObject(svc['spec']) ? svc['spec'] : {},
        isObject(old['spec']) ? old['spec'] : {},
      ),
  });
}
