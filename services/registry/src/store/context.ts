// What every store verb knows about the request it serves.
import type { RequestAttributes } from '@splitplane/proto';
import type { ResourceDefinition } from '@splitplane/scheme';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteContext {
  attrs: RequestAttributes;
  def: ResourceDefinition;
  namespace: string;
  name: string;
  subresource: string;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** The request's deadline, carried to etcd and admission calls. */
  deadline?: Date;
  /** Warning header values, in order. */
  warnings: string[];
  /**
   * The name and namespace admission is told, when not the object's: kube's deletecollection
   * admits each item with the request's (empty) name and namespace.
   */
  admissionTarget?: { name: string; namespace: string };
  /** Audit annotations admission added (shared by the copies a verb makes of the context). */
  auditAnnotations: Record<string, string>;
}

/** A verb's answer: the object (or Status) and the HTTP code the gateway should send. */
export interface WriteResult {
  object: Record<string, unknown>;
  /** `object` already serialised by storage, when it has it; saves a second stringify. */
  json?: Buffer;
  code: number;
}
