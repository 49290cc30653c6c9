// ServiceAccount strategy (kube's ValidateServiceAccount): names of referenced secrets.
import type { ResourceDefinition } from '@splitplane/scheme';
import { type FieldError, required } from '@splitplane/apimachinery';
import type { Strategy } from '../strategy.js';
import { buildStrategy } from '../internal/base.js';
import { objects } from '../internal/json.js';
import { child, index } from '../internal/path.js';

export function serviceAccountStrategy(def: ResourceDefinition): Strategy {
  return buildStrategy(def, {
    validate(sa) {
      const errs: FieldError[] = [];
      objects(sa['imagePullSecrets']).forEach((s, i) => {
        if (!s['name']) errs.push(required(child(index('imagePullSecrets', i), 'name'), ''));
      });
      return errs;
    },
  });
}
