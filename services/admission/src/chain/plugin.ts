// The admission Plugin seam of k8s.io/apiserver: a plugin says which operations it
// handles, may mutate in `admit`, and may reject in `validate` by throwing a StatusError.
import type { KubeObject } from '@splitplane/scheme';
import type { GroupVersionKind, GroupVersionResource, UserInfo } from '@splitplane/proto';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
export const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface AdmissionAttributes {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subresource: string;
  name: string;
  namespace: string;
  operation: Operation;
  user: UserInfo;
  /** The incoming object; mutating plugins change it in place. */
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  dryRun: boolean;
  options: Record<string, unknown> | undefined;
}

export interface AdmissionContext {
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

export interface Plugin {
  readonly name: string;
  handles(operation: Operation): boolean;
  admit?(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void>;
  validate?(attributes: AdmissionAttributes, context: AdmissionContext): Promise<void>;
}
