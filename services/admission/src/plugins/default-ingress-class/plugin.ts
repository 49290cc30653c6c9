// DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): a new Ingress that
// names no class (no spec.ingressClassName, no kubernetes.io/ingress.class annotation) gets
// the default IngressClass.
import type {
  AdmissionAttributes,
  AdmissionContext,
  Operation,
  Plugin,
} from '../../chain/plugin.js';
import {
  admissionForbidden,
  isResource,
  newestDefault,
  type ObjectLister,
} from '../builtin-support/index.js';

export const DEFAULT_INGRESS_CLASS_PLUGIN_NAME = 'DefaultIngressClass';
export const IS_DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface DefaultIngressClassOptions {
  ingressClasses: ObjectLister;
}

export class DefaultIngressClassPlugin implements Plugin {
  readonly name = DEFAULT_INGRESS_CLASS_PLUGIN_NAME;

  constructor(private readonly options: DefaultIngressClassOptions) {}

  handles(operation: Operation): boolean {
    return operation === 'CREATE';
  }

  async admit(a: AdmissionAttributes, _context: AdmissionContext): Promise<void> {
    if (!isResource(a, 'networking.k8s.io', 'ingresses') || a.subresource !== '') return;
    const ingress = a.object as
      | { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> }
      | undefined;
    if (!ingress) return;
    const spec = (ingress.spec ??= {});
    if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) return;
    if (INGRESS_CLASS_ANNOTATION in (ingress.metadata?.annotations ?? {})) return;
    let classes;
    try {
      classes = await this.options.ingressClasses.list('');
    } catch (err) {
      throw admissionForbidden(a, err instanceof Error ? err.message : String(err));
    }
    const chosen = newestDefault(
      classes,
      (ann) => ann[IS_DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true',
    );
    if (chosen) spec.ingressClassName = chosen.metadata?.name ?? '';
  }
}
