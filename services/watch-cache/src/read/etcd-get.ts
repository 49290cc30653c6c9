// GET of one object. Reads are served straight from etcd until the in-memory cache of
// issue #3 lands; etcd's linearizable range satisfies every resourceVersion semantics.
import { newNotFound } from '@splitplane/apimachinery';
import type { ObjectResponse } from '@splitplane/proto';
import { groupResourceOf, objectKey, type ResourceDefinition } from '@splitplane/scheme';
import type { EtcdStorage } from '@splitplane/storage';

export async function getObject(
  storage: EtcdStorage,
  def: ResourceDefinition,
  namespace: string,
  name: string,
  deadline?: Date,
): Promise<ObjectResponse> {
  const found = await storage.getRaw(objectKey(def, namespace, name), deadline ? { deadline } : {});
  if (!found) throw newNotFound(groupResourceOf(def), name);
  return { object: found.json, code: 200, warnings: [] };
}
