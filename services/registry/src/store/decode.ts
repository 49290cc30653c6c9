// Request bodies: JSON objects whose kind/apiVersion, when present, must be this resource's,
// and whose name/namespace must agree with the URL, worded as kube's handlers word it.
import { goJsonSyntaxError, newBadRequest } from '@splitplane/apimachinery';
import { apiVersionOf, type KubeObject, type ResourceDefinition } from '@splitplane/scheme';

export function decodeBody(
  bytes: Uint8Array,
  def: ResourceDefinition,
  kind = def.kind,
  apiVersion = apiVersionOf(def),
): KubeObject {
  // A view, not a copy: the bytes are read once.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw newBadRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${goJsonSyntaxError(text)} (${summarize(text)})`,
      err,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw newBadRequest(
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: cannot unmarshal into an object (${summarize(text)})`,
    );
  }
  const obj = body as KubeObject;
  // Missing kind/apiVersion default from the URL, as kube's decoder does with its default GVK.
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw newBadRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== kind) {
    const version = apiVersion.includes('/')
      ? apiVersion.slice(apiVersion.indexOf('/') + 1)
      : apiVersion;
    throw newBadRequest(
      `${String(obj.kind)} in version "${version}" cannot be handled as a ${kind}: no kind "${String(obj.kind)}" is registered for this endpoint`,
    );
  }
  obj.apiVersion = apiVersion;
  obj.kind = kind;
  if (
    obj.metadata !== undefined &&
    (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))
  ) {
    throw newBadRequest(
      `${kind} in version "${def.version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${kind}.metadata of type v1.ObjectMeta`,
    );
  }
  return obj;
}

/** Namespace from the URL wins; a different one in the body is kube's 400. */
export function checkNamespace(obj: KubeObject, def: ResourceDefinition, namespace: string): void {
  const meta = (obj.metadata ??= {});
  if (!def.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw newBadRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  meta.namespace = namespace;
}

export function checkName(obj: KubeObject, name: string): void {
  const meta = (obj.metadata ??= {});
  if (!meta.name) {
    meta.name = name;
    return;
  }
  if (meta.name !== name) {
    throw newBadRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
    );
  }
}

function summarize(text: string): string {
  const bytes = Buffer.from(text).subarray(0, 30);
  return Buffer.from(text).length > 30 ? `${bytes.toString('hex')} ...` : bytes.toString('hex');
}
