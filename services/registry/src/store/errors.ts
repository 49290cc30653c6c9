// The one place storage failures become kube Status errors, named after the resource.
import {
  StatusError,
  newAlreadyExists,
  newConflict,
  newNotFound,
  toStatusError,
} from '@splitplane/apimachinery';
import { groupResourceOf, type ResourceDefinition } from '@splitplane/scheme';
import {
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  PreconditionError,
} from '@splitplane/storage';

export function interpretStorageError(
  err: unknown,
  def: ResourceDefinition,
  name: string,
): StatusError {
  const gr = groupResourceOf(def);
  if (err instanceof StatusError) return err;
  if (err instanceof KeyExistsError) return newAlreadyExists(gr, name);
  if (err instanceof KeyNotFoundError) return newNotFound(gr, name);
  if (err instanceof PreconditionError) return newConflict(gr, name, err.why);
  if (err instanceof ConflictError) return newConflict(gr, name, err.why);
  return toStatusError(err);
}
