import { definitions } from './definitions.js';
import type { Schema } from './schema.js';
import type { V2Parameter } from './swagger.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/**
 * Query parameters of each kind of request, named after the fields of the
 * meta/v1 options type they decode into. Their descriptions and types are
 * read from that type's definition so the documentation comes from k8s.io
 * apimachinery itself.
 */
const QUERY_PARAMETERS = {
  list: {
    from: 'ListOptions',
    names: [
      'allowWatchBookmarks',
      'continue',
      'fieldSelector',
      'labelSelector',
      'limit',
      'resourceVersion',
      'resourceVersionMatch',
      'sendInitialEvents',
      'timeoutSeconds',
      'watch',
    ],
  },
  // deletecollection takes the list selectors but never watches.
  deleteCollectionList: {
    from: 'ListOptions',
    names: [
      'continue',
      'fieldSelector',
      'labelSelector',
      'limit',
      'resourceVersion',
      'resourceVersionMatch',
      'sendInitialEvents',
      'timeoutSeconds',
    ],
  },
  create: { from: 'CreateOptions', names: ['dryRun', 'fieldManager', 'fieldValidation'] },
  update: { from: 'UpdateOptions', names: ['dryRun', 'fieldManager', 'fieldValidation'] },
  patch: { from: 'PatchOptions', names: ['dryRun', 'fieldManager', 'fieldValidation', 'force'] },
  delete: {
    from: 'DeleteOptions',
    names: [
      'dryRun',
      'gracePeriodSeconds',
      'ignoreStoreReadErrorWithClusterBreakingPotential',
      'orphanDependents',
      'propagationPolicy',
    ],
  },
} as const;

export type ParameterSet = keyof typeof QUERY_PARAMETERS;

/** Query parameters for one kind of request, sorted by name as kube lists them. */
export function queryParameters(...sets: ParameterSet[]): V2Parameter[] {
  const out = new Map<string, V2Parameter>();
  for (const set of sets) {
    const { from, names } = QUERY_PARAMETERS[set];
    const options = definitions()[META + from];
    for (const name of names) {
      const field = options?.properties?.[name];
      // A field missing from the options type means this kube version has no such parameter.
      if (field === undefined) continue;
      out.set(name, queryParameter(name, field));
    }
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function queryParameter(name: string, field: Schema): V2Parameter {
  // Lists (dryRun) travel as repeated strings; swagger 2.0 query parameters
  // carry only scalars, as in kube's spec.
  const type = field.type === 'integer' || field.type === 'boolean' ? field.type : 'string';
  const parameter: V2Parameter = { name, in: 'query', type, uniqueItems: true };
  if (field.description !== undefined) parameter.description = field.description;
  return parameter;
}

export const prettyParameter: V2Parameter = {
  name: 'pretty',
  in: 'query',
  description: "If 'true', the response is indented for reading.",
  type: 'string',
  uniqueItems: true,
};

export const namespaceParameter: V2Parameter = {
  name: 'namespace',
  in: 'path',
  description: 'namespace of the object (its scope for names and authorization)',
  required: true,
  type: 'string',
  uniqueItems: true,
};

export function nameParameter(kind: string): V2Parameter {
  return {
    name: 'name',
    in: 'path',
    description: `name of the ${kind}`,
    required: true,
    type: 'string',
    uniqueItems: true,
  };
}

/** The request body; optional for deletes, where DeleteOptions may be omitted. */
export function bodyParameter(schema: Schema, required = true): V2Parameter {
  return required
    ? { name: 'body', in: 'body', required, schema }
    : { name: 'body', in: 'body', schema };
}
