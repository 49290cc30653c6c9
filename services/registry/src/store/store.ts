// The generic store: kube's registry/generic/registry.Store, one verb per file, over the
// etcd storage layer. It resolves the resource, carries the request deadline, and turns every
// failure into a kube Status.
import { type FieldError, newNotFound } from '@splitplane/apimachinery';
import type { RequestAttributes } from '@splitplane/proto';
import {
  type KubeObject,
  objectKey,
  type ResourceDefinition,
  type Scheme,
} from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';
import type { Strategy } from '../strategies/strategy.js';
import type { Admission } from '../admission/admission.js';
import type { WriteContext } from './context.js';
import { parseFieldValidation } from './field-validation.js';
import type { WriteHooks } from './write-hooks.js';

export interface StoreOptions {
  storage: EtcdStorage;
  scheme: Scheme;
  strategyFor: (def: ResourceDefinition) => Strategy;
  /** Omitted only in tests that exercise the store without an admission service. */
  admission?: Admission;
  now?: () => Date;
  /** Side-effect steps per kind (Service allocation); none for most kinds. */
  hooksFor?: (def: ResourceDefinition) => WriteHooks | undefined;
  /**
   * Checks that need other services, run once validation passed (kube strategies that
   * authorize what an object refers to, e.g. a policy's paramKind); their field errors join
   * the 422.
   */
  referenceChecks?: (def: ResourceDefinition) => ReferenceCheck | undefined;
}

/** Field errors for a valid object (`old` on update), e.g. a Forbidden reference. */
export type ReferenceCheck = (
  ctx: WriteContext,
  obj: KubeObject,
  old: KubeObject | undefined,
) => Promise<FieldError[]>;

export class Store {
  readonly storage: EtcdStorage;
  readonly scheme: Scheme;
  readonly admission: Admission | undefined;
  /** core/v1 namespaces, when the scheme has them. */
  readonly namespaceDef: ResourceDefinition | undefined;
  private readonly strategies = new Map<ResourceDefinition, Strategy>();

  constructor(private readonly opts: StoreOptions) {
    this.storage = opts.storage;
    this.scheme = opts.scheme;
    this.admission = opts.admission;
    this.namespaceDef = opts.scheme.resource('', 'v1', 'namespaces');
  }

  now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  hooks(def: ResourceDefinition): WriteHooks | undefined {
    return this.opts.hooksFor?.(def);
  }

  referenceCheck(def: ResourceDefinition): ReferenceCheck | undefined {
    return this.opts.referenceChecks?.(def);
  }

  strategy(def: ResourceDefinition): Strategy {
    let s = this.strategies.get(def);
    if (!s) {
      s = this.opts.strategyFor(def);
      this.strategies.set(def, s);
    }
    return s;
  }

  /** Resolves the request's resource; unknown resources are a 404 as kube's router answers. */
  context(attrs: RequestAttributes, deadline?: Date): WriteContext {
    const gvr = attrs.resource;
    const def = gvr && this.scheme.resource(gvr.group, gvr.version, gvr.resource);
    if (!def) {
      throw newNotFound({ group: gvr?.group ?? '', resource: gvr?.resource ?? '' }, attrs.name);
    }
    const ctx: WriteContext = {
      attrs,
      def,
      namespace: def.namespaced ? attrs.namespace : '',
      name: attrs.name,
      subresource: attrs.subresource,
      dryRun: attrs.dryRun,
      fieldValidation: parseFieldValidation(attrs.fieldValidation),
      warnings: [],
      auditAnnotations: {},
    };
    if (deadline) ctx.deadline = deadline;
    return ctx;
  }

  key(def: ResourceDefinition, namespace: string, name: string): string {
    return objectKey(def, namespace, name);
  }
}
