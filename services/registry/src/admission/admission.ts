// The registry's view of admission: mutate (admit) then validate, called inside the write
// loop so every retry sees the current object. The gRPC client is the production shape;
// tests may pass any implementation (e.g. an in-process chain).
import type { KubeObject, ResourceDefinition } from '@splitplane/scheme';
import type { UserInfo } from '@splitplane/proto';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
export type AdmissionPhase = 'admit' | 'validate';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  def: ResourceDefinition;
  /** The kind admission sees when it is not def's (autoscaling/v1 Scale for /scale, PodExecOptions for CONNECT). */
  kind?: { group: string; version: string; kind: string };
  subresource: string;
  name: string;
  namespace: string;
  /** The new object (absent for DELETE). */
  object?: KubeObject;
  oldObject?: KubeObject;
  user?: UserInfo;
  dryRun: boolean;
  /** CreateOptions/UpdateOptions/DeleteOptions as kube would pass them. */
  options?: Record<string, unknown>;
  /** Absolute deadline of the request; admission calls must not outlive it. */
  deadline?: Date;
}

export interface AdmitResult {
  /** The mutated object, or undefined when admission changed nothing. */
  object?: KubeObject;
  warnings: string[];
  /** Annotations for the request's audit event (kube's AddAuditAnnotation). */
  auditAnnotations?: Record<string, string>;
}

export interface ValidateResult {
  warnings: string[];
  auditAnnotations?: Record<string, string>;
}

export interface Admission {
  admit(attrs: AdmissionAttributes): Promise<AdmitResult>;
  validate(attrs: AdmissionAttributes): Promise<ValidateResult>;
  /**
   * false when admission is known to do nothing in `phase` for `operation`, so the store may
   * skip the call; true (or no method) when it must call. Implementations answer true
   * whenever they are unsure.
   */
  needs?(phase: AdmissionPhase, operation: AdmissionOperation): boolean;
}
