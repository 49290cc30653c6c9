// The PodSecurity admission plugin (k8s.io/pod-security-admission/admission): enforces the
// namespace's level on pods, and warns/audits on pods and pod-template-bearing workloads.
import {
  newBadRequest,
  newForbidden,
  newInternalError,
  newInvalid,
  type FieldErrorList,
} from '@splitplane/apimachinery';
import type { KubeObject } from '@splitplane/scheme';
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import {
  AUDIT_VIOLATIONS_ANNOTATION,
  ENFORCE_POLICY_ANNOTATION,
  ERROR_ANNOTATION,
  EXEMPT_ANNOTATION,
  compareLevels,
  formatLevelVersion,
  formatVersion,
  fullyPrivileged,
  policyToEvaluate,
  type LevelVersion,
  type Policy,
} from './api.js';
import { resolveDefaults, type PodSecurityConfiguration } from './config.js';
import { Evaluator, forbiddenDetail, type AggregateCheckResult } from './evaluator.js';
import { evaluatePodsInNamespace } from './existing-pods.js';
import { goQuote } from './format.js';
import type { NamespaceLister, PodLister } from './listers.js';
import { exemptNamespaceWarning } from './namespace-warnings.js';
import { extractPodSpec, hasPodTemplate, isPodResource } from './pod-spec-extractor.js';
import type { PodMetaLike, PodSpecLike } from './pod-types.js';
import { isSignificantPodUpdate } from './significant-update.js';

export const POD_SECURITY_PLUGIN_NAME = 'PodSecurity';

/** Pod subresources that cannot change what the pod runs. */
const IGNORED_POD_SUBRESOURCES = new Set([
  'exec',
  'attach',
  'binding',
  'eviction',
  'log',
  'portforward',
  'proxy',
  'status',
]);

export interface PodSecurityPluginOptions {
  namespaces: NamespaceLister;
  /** Lets a namespace update warn about existing pods the new enforce level rejects. */
  pods?: PodLister;
  config?: PodSecurityConfiguration;
  evaluator?: Evaluator;
}

const labelsOf = (o: KubeObject | undefined): Record<string, string> | undefined => {
  const l = o?.metadata?.labels;
  return typeof l === 'object' && l !== null ? (l as Record<string, string>) : undefined;
};

/** field.ErrorList.ToAggregate().Error(): one error alone, several in brackets. */
const aggregate = (errs: FieldErrorList) =>
  errs.length === 1 ? String(errs[0]) : `[${errs.map(String).join(', ')}]`;

const sameFieldErrors = (a: FieldErrorList, b: FieldErrorList) =>
  a.length === b.length && a.every((e, i) => String(e) === String(b[i]));

export class PodSecurityPlugin implements Plugin {
  readonly name = POD_SECURITY_PLUGIN_NAME;
  private readonly defaults: Policy;
  private readonly exemptUsers: Set<string>;
  private readonly exemptNamespaces: Set<string>;
  private readonly exemptRuntimeClasses: Set<string>;
  private readonly evaluator: Evaluator;

  /** @throws PodSecurityConfigError when the configured defaults are invalid. */
  constructor(private readonly options: PodSecurityPluginOptions) {
    this.defaults = resolveDefaults(options.config?.defaults);
    const ex = options.config?.exemptions ?? {};
    this.exemptUsers = new Set(ex.usernames ?? []);
    this.exemptNamespaces = new Set(ex.namespaces ?? []);
    this.exemptRuntimeClasses = new Set(ex.runtimeClasses ?? []);
    this.evaluator = options.evaluator ?? new Evaluator();
  }

  handles(operation: Operation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async validate(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void> {
    const { group, resource } = attributes.resource;
    if (group === '' && resource === 'namespaces')
      return this.validateNamespace(attributes, context);
    if (isPodResource(group, resource)) return this.validatePod(attributes, context);
    if (hasPodTemplate(group, resource)) return this.validatePodController(attributes, context);
  }

  /** The namespace's policy from its labels over the configured defaults. */
  policyFor(labels: Record<string, string> | undefined) {
    return policyToEvaluate(labels, this.defaults);
  }

  private isExemptRuntimeClass = (name: unknown) =>
    typeof name === 'string' && name !== '' && this.exemptRuntimeClasses.has(name);

  private async validatePod(attrs: AdmissionAttributes, context: AdmissionContext) {
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource)) return;
    if (this.exempted(attrs, context)) return;
    const namespace = await this.options.namespaces.get(attrs.namespace);
    if (!namespace) {
      // A pod in a namespace we cannot see is refused: enforcing must not fail open.
      throw newInternalError(new Error(`failed to lookup namespace ${goQuote(attrs.namespace)}`));
    }
    const { policy, errors } = this.policyFor(labelsOf(namespace));
    if (errors.length === 0 && fullyPrivileged(policy)) return;
    const pod = attrs.object;
    if (!pod || typeof pod !== 'object') throw newBadRequest('failed to decode object');
    if (attrs.operation === 'UPDATE' && attrs.oldObject) {
      const meta = (pod.metadata ?? {}) as PodMetaLike;
      const old = attrs.oldObject;
      const significant = isSignificantPodUpdate(
        meta,
        (pod.spec ?? {}) as PodSpecLike,
        (old.metadata ?? {}) as PodMetaLike,
        (old.spec ?? {}) as PodSpecLike,
      );
      if (!significant) return;
    }
    const extracted = extractPodSpec('', 'pods', pod)!;
    this.evaluatePod(policy, errors, extracted.meta, extracted.spec, attrs, context, true);
  }

  private async validatePodController(attrs: AdmissionAttributes, context: AdmissionContext) {
    if (attrs.subresource !== '') return;
    if (this.exempted(attrs, context)) return;
    const namespace = await this.options.namespaces.get(attrs.namespace);
    if (!namespace) {
      // Workloads are only warned about, so a missing namespace fails open with an audit note.
      context.auditAnnotations[ERROR_ANNOTATION] =
        `failed to lookup namespace ${goQuote(attrs.namespace)}: namespaces ${goQuote(attrs.namespace)} not found`;
      return;
    }
    const { policy, errors } = this.policyFor(labelsOf(namespace));
    if (
      errors.length === 0 &&
      policy.warn.level === 'privileged' &&
      policy.audit.level === 'privileged'
    )
      return;
    if (!attrs.object) return;
    const extracted = extractPodSpec(attrs.resource.group, attrs.resource.resource, attrs.object);
    if (!extracted) return;
    this.evaluatePod(policy, errors, extracted.meta, extracted.spec, attrs, context, false);
  }

  /** Namespace and user exemptions, recorded as kube's `exempt` audit annotation. */
  private exempted(attrs: AdmissionAttributes, context: AdmissionContext): boolean {
    if (this.exemptNamespaces.has(attrs.namespace)) {
      context.auditAnnotations[EXEMPT_ANNOTATION] = 'namespace';
      return true;
    }
    if (this.exemptUsers.has(attrs.user?.username ?? '')) {
      context.auditAnnotations[EXEMPT_ANNOTATION] = 'user';
      return true;
    }
    return false;
  }

  private evaluatePod(
    policy: Policy,
    policyErrors: FieldErrorList,
    meta: PodMetaLike,
    spec: PodSpecLike,
    attrs: AdmissionAttributes,
    context: AdmissionContext,
    enforce: boolean,
  ) {
    if (this.isExemptRuntimeClass(spec.runtimeClassName)) {
      context.auditAnnotations[EXEMPT_ANNOTATION] = 'runtimeClass';
      return;
    }
    const annotations: Record<string, string> = {};
    if (policyErrors.length)
      annotations[ERROR_ANNOTATION] = `Failed to parse policy: ${aggregate(policyErrors)}`;
    // Modes often share a level:version; evaluate each distinct one once.
    const cache = new Map<string, AggregateCheckResult>();
    const run = (lv: LevelVersion) => {
      const key = formatLevelVersion(lv);
      let r = cache.get(key);
      if (!r) cache.set(key, (r = this.evaluator.evaluate(lv, meta, spec)));
      return r;
    };
    let denial: Error | undefined;
    if (enforce) {
      annotations[ENFORCE_POLICY_ANNOTATION] = formatLevelVersion(policy.enforce);
      const r = run(policy.enforce);
      if (!r.allowed) {
        denial = newForbidden(
          { group: attrs.resource.group, resource: attrs.resource.resource },
          attrs.name,
          `violates PodSecurity ${goQuote(formatLevelVersion(policy.enforce))}: ${forbiddenDetail(r)}`,
        );
      }
    }
    const audit = run(policy.audit);
    if (!audit.allowed) {
      annotations[AUDIT_VIOLATIONS_ANNOTATION] =
        `would violate PodSecurity ${goQuote(formatLevelVersion(policy.audit))}: ${forbiddenDetail(audit)}`;
    }
    Object.assign(context.auditAnnotations, annotations);
    // No warnings on a request that is rejected anyway.
    if (denial) throw denial;
    const warn = run(policy.warn);
    if (!warn.allowed) {
      context.warnings.push(
        `would violate PodSecurity ${goQuote(formatLevelVersion(policy.warn))}: ${forbiddenDetail(warn)}`,
      );
    }
  }

  private async validateNamespace(attrs: AdmissionAttributes, context: AdmissionContext) {
    if (attrs.subresource !== '') return;
    const ns = attrs.object;
    if (!ns) return;
    const labels = labelsOf(ns);
    const { policy, errors } = this.policyFor(labels);
    const invalid = () => newInvalid({ group: '', kind: 'Namespace' }, attrs.name, errors);
    const exemptWarning = () => {
      const w = exemptNamespaceWarning(
        attrs.namespace || attrs.name,
        policy,
        this.defaults,
        labels ?? {},
      );
      if (w) context.warnings.push(w);
    };
    // kube reads a namespace's own name as the request namespace.
    const name = attrs.namespace || attrs.name;
    const exempt = this.exemptNamespaces.has(name);
    if (attrs.operation === 'CREATE') {
      if (errors.length) throw invalid();
      if (exempt) exemptWarning();
      return;
    }
    const old = this.policyFor(labelsOf(attrs.oldObject));
    // Labels that were already invalid may stay so; a change must leave them valid.
    if (errors.length && (old.errors.length === 0 || !sameFieldErrors(errors, old.errors)))
      throw invalid();
    // Existing pods are only dry-run when enforcement got stricter.
    const now = policy.enforce;
    const before = old.policy.enforce;
    if (formatLevelVersion(now) === formatLevelVersion(before)) return;
    if (now.level === 'privileged') return;
    if (
      formatVersion(now.version) === formatVersion(before.version) &&
      compareLevels(now.level, before.level) < 1
    )
      return;
    if (exempt) {
      exemptWarning();
      return;
    }
    if (!this.options.pods) return;
    context.warnings.push(
      ...evaluatePodsInNamespace(
        this.evaluator,
        attrs.name,
        await this.options.pods.list(attrs.name),
        policy.enforce,
        this.isExemptRuntimeClass,
      ),
    );
  }
}
