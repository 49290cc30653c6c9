import { definitionNameForGVK } from './definitions.js';
import {
  bodyParameter,
  nameParameter,
  namespaceParameter,
  prettyParameter,
  queryParameters,
} from './parameters.js';
import { v2Ref } from './refs.js';
import type { GroupVersionKind, Schema } from './schema.js';
import type { V2Operation, V2Parameter, V2PathItem, V2Response } from './swagger.js';

/** What the gateway knows about one served resource. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Kube verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: readonly string[];
  subresources?: readonly SubresourceInfo[];
  /** Definition of the kind; defaults to the one whose GVK extension matches. */
  definitionName?: string;
  /** Definition of the list kind; defaults to the GVK lookup of `${kind}List`. */
  listDefinitionName?: string;
}

export interface SubresourceInfo {
  /** e.g. "status", "scale", "log", "exec", "eviction". */
  name: string;
  /** Kind the subresource takes and returns; defaults per well-known name, else the parent's. */
  kind?: GroupVersionKind;
  definitionName?: string;
  /** Defaults per well-known name (status: get/update/patch, exec: connect, ...). */
  verbs?: readonly string[];
}

const MEDIA = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
] as const;
const WATCH_MEDIA = [
  ...MEDIA,
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
] as const;
export const PATCH_MEDIA = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const STATUS_REF = { $ref: v2Ref(META + 'Status') };
const WATCH_EVENT_REF = { $ref: v2Ref(META + 'WatchEvent') };
const DELETE_OPTIONS_REF = { $ref: v2Ref(META + 'DeleteOptions') };
const PATCH_REF = { $ref: v2Ref(META + 'Patch') };
const UNAUTHORIZED: V2Response = { description: 'Unauthorized' };

/** Defaults for subresources kube serves on built-in kinds. */
const WELL_KNOWN_SUBRESOURCES: Readonly<
  Record<string, { kind?: GroupVersionKind; verbs: readonly string[] }>
> = {
  status: { verbs: ['get', 'update', 'patch'] },
  scale: {
    kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    verbs: ['get', 'update', 'patch'],
  },
  ephemeralcontainers: { verbs: ['get', 'update', 'patch'] },
  resize: { verbs: ['get', 'update', 'patch'] },
  approval: { verbs: ['get', 'update', 'patch'] },
  finalize: { verbs: ['update'] },
  binding: { kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
  eviction: { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
  token: {
    kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
    verbs: ['create'],
  },
  log: { verbs: ['get'] },
  exec: { verbs: ['connect'] },
  attach: { verbs: ['connect'] },
  portforward: { verbs: ['connect'] },
  proxy: { verbs: ['connect'] },
};

/** URL prefix of a group-version: /api/v1 for the core group, /apis/<group>/<version> otherwise. */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * kube's operation-id infix for a group-version: "CoreV1", "AppsV1",
 * "RbacAuthorizationV1" (".k8s.io" dropped, each label capitalized).
 */
export function operationGroupVersion(group: string, version: string): string {
  const labels = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  return labels.map(capitalize).join('') + capitalize(version);
}

/** kube's tag for a group-version: "core_v1", "apps_v1", "rbacAuthorization_v1". */
export function groupVersionTag(group: string, version: string): string {
  const labels = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  const camel = labels.map((label, i) => (i === 0 ? label : capitalize(label))).join('');
  return `${camel}_${version}`;
}

const capitalize = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

/**
 * Kube-style swagger 2.0 path items for one resource: collection, item,
 * all-namespaces and watch paths, plus subresources, with operationId,
 * x-kubernetes-action and x-kubernetes-group-version-kind on every
 * operation. kubectl relies on the GVK of PATCH operations and on their
 * "fieldValidation" parameter to decide that the server validates fields.
 */
export function pathsForResource(resource: ResourceInfo): Record<string, V2PathItem> {
  const { group, version, kind, plural, namespaced } = resource;
  const gvk: GroupVersionKind = { group, kind, version };
  const verbs = new Set(resource.verbs);
  const definition = resource.definitionName ?? definitionNameForGVK(group, version, kind);
  const listDefinition =
    resource.listDefinitionName ?? definitionNameForGVK(group, version, `${kind}List`);
  // A kind we have no schema for still gets plausible paths.
  const objectSchema: Schema =
    definition !== undefined ? { $ref: v2Ref(definition) } : { type: 'object' };
  const listSchema: Schema =
    listDefinition !== undefined ? { $ref: v2Ref(listDefinition) } : { type: 'object' };

  const op = operationGroupVersion(group, version);
  const tags = [groupVersionTag(group, version)];
  const scope = namespaced ? 'Namespaced' : '';
  const prefix = groupVersionPrefix(group, version);
  const collection = namespaced
    ? `${prefix}/namespaces/{namespace}/${plural}`
    : `${prefix}/${plural}`;
  const item = `${collection}/{name}`;
  const scopeParams: V2Parameter[] = namespaced ? [namespaceParameter] : [];
  const itemParams: V2Parameter[] = [nameParameter(kind), ...scopeParams, prettyParameter];

  const operation = (
    fields: Omit<V2Operation, 'schemes' | 'tags' | 'x-kubernetes-group-version-kind'>,
    opGVK = gvk,
  ): V2Operation => ({
    ...fields,
    schemes: ['https'],
    tags,
    'x-kubernetes-group-version-kind': opGVK,
  });
  const paths: Record<string, V2PathItem> = {};

  const collectionItem: V2PathItem = { parameters: [...scopeParams, prettyParameter] };
  if (verbs.has('list')) {
    collectionItem.get = operation({
      description: `list or watch objects of kind ${kind}`,
      operationId: `list${op}${scope}${kind}`,
      consumes: ['*/*'],
      produces: WATCH_MEDIA,
      parameters: queryParameters('list'),
      responses: { '200': { description: 'OK', schema: listSchema }, '401': UNAUTHORIZED },
      'x-kubernetes-action': 'list',
    });
  }
  if (verbs.has('create')) {
    collectionItem.post = operation({
      description: `create a ${kind}`,
      operationId: `create${op}${scope}${kind}`,
      consumes: ['*/*'],
      produces: MEDIA,
      parameters: [bodyParameter(objectSchema), ...queryParameters('create')],
      responses: {
        '200': { description: 'OK', schema: objectSchema },
        '201': { description: 'Created', schema: objectSchema },
        '202': { description: 'Accepted', schema: objectSchema },
        '401': UNAUTHORIZED,
      },
      'x-kubernetes-action': 'post',
    });
  }
  if (verbs.has('deletecollection')) {
    collectionItem.delete = operation({
      description: `delete collection of ${kind}`,
      operationId: `delete${op}Collection${scope}${kind}`,
      consumes: ['*/*'],
      produces: MEDIA,
      parameters: [
        bodyParameter(DELETE_OPTIONS_REF, false),
        ...queryParameters('delete', 'deleteCollectionList'),
      ],
      responses: { '200': { description: 'OK', schema: STATUS_REF }, '401': UNAUTHORIZED },
      'x-kubernetes-action': 'deletecollection',
    });
  }
  if (hasOperations(collectionItem)) paths[collection] = collectionItem;

  const itemItem: V2PathItem = { parameters: itemParams };
  if (verbs.has('get')) {
    itemItem.get = operation({
      description: `read the specified ${kind}`,
      operationId: `read${op}${scope}${kind}`,
      consumes: ['*/*'],
      produces: MEDIA,
      responses: { '200': { description: 'OK', schema: objectSchema }, '401': UNAUTHORIZED },
      'x-kubernetes-action': 'get',
    });
  }
  Object.assign(
    itemItem,
    writeOperations(
      verbs,
      `${op}${scope}${kind}`,
      `the specified ${kind}`,
      objectSchema,
      operation,
    ),
  );
  if (verbs.has('delete')) {
    itemItem.delete = operation({
      description: `delete a ${kind}`,
      operationId: `delete${op}${scope}${kind}`,
      consumes: ['*/*'],
      produces: MEDIA,
      parameters: [bodyParameter(DELETE_OPTIONS_REF, false), ...queryParameters('delete')],
      responses: {
        '200': { description: 'OK', schema: STATUS_REF },
        '202': { description: 'Accepted', schema: STATUS_REF },
        '401': UNAUTHORIZED,
      },
      'x-kubernetes-action': 'delete',
    });
  }
  if (hasOperations(itemItem)) paths[item] = itemItem;

  if (namespaced && verbs.has('list')) {
    paths[`${prefix}/${plural}`] = {
      parameters: [...queryParameters('list'), prettyParameter].sort(byName),
      get: operation({
        description: `list or watch objects of kind ${kind}`,
        operationId: `list${op}${kind}ForAllNamespaces`,
        consumes: ['*/*'],
        produces: WATCH_MEDIA,
        responses: { '200': { description: 'OK', schema: listSchema }, '401': UNAUTHORIZED },
        'x-kubernetes-action': 'list',
      }),
    };
  }

  if (verbs.has('watch')) {
    const watchParams = queryParameters('list');
    const watchCollection = namespaced
      ? `${prefix}/watch/namespaces/{namespace}/${plural}`
      : `${prefix}/watch/${plural}`;
    const watchResponses = {
      '200': { description: 'OK', schema: WATCH_EVENT_REF },
      '401': UNAUTHORIZED,
    };
    paths[watchCollection] = {
      parameters: [...watchParams, ...scopeParams, prettyParameter].sort(byName),
      get: operation({
        description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        operationId: `watch${op}${scope}${kind}List`,
        consumes: ['*/*'],
        produces: WATCH_MEDIA,
        responses: watchResponses,
        'x-kubernetes-action': 'watchlist',
      }),
    };
    paths[`${watchCollection}/{name}`] = {
      parameters: [...watchParams, ...itemParams].sort(byName),
      get: operation({
        description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        operationId: `watch${op}${scope}${kind}`,
        consumes: ['*/*'],
        produces: WATCH_MEDIA,
        responses: watchResponses,
        'x-kubernetes-action': 'watch',
      }),
    };
    if (namespaced) {
      paths[`${prefix}/watch/${plural}`] = {
        parameters: [...watchParams, prettyParameter].sort(byName),
        get: operation({
          description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          operationId: `watch${op}${kind}ListForAllNamespaces`,
          consumes: ['*/*'],
          produces: WATCH_MEDIA,
          responses: watchResponses,
          'x-kubernetes-action': 'watchlist',
        }),
      };
    }
  }

  for (const sub of resource.subresources ?? []) {
    const path = `${item}/${sub.name}`;
    const pathItem = subresourcePathItem(sub, {
      gvk,
      definition,
      scope,
      op,
      kind,
      itemParams,
      operation,
    });
    if (hasOperations(pathItem)) paths[path] = pathItem;
  }
  return paths;
}

type OperationFactory = (
  fields: Omit<V2Operation, 'schemes' | 'tags' | 'x-kubernetes-group-version-kind'>,
  gvk?: GroupVersionKind,
) => V2Operation;

function writeOperations(
  verbs: ReadonlySet<string>,
  idSuffix: string,
  target: string,
  schema: Schema,
  operation: OperationFactory,
  gvk?: GroupVersionKind,
): V2PathItem {
  const out: V2PathItem = {};
  if (verbs.has('update')) {
    out.put = operation(
      {
        description: `replace ${target}`,
        operationId: `replace${idSuffix}`,
        consumes: ['*/*'],
        produces: MEDIA,
        parameters: [bodyParameter(schema), ...queryParameters('update')],
        responses: {
          '200': { description: 'OK', schema },
          '201': { description: 'Created', schema },
          '401': UNAUTHORIZED,
        },
        'x-kubernetes-action': 'put',
      },
      gvk,
    );
  }
  if (verbs.has('patch')) {
    out.patch = operation(
      {
        description: `partially update ${target}`,
        operationId: `patch${idSuffix}`,
        consumes: PATCH_MEDIA,
        produces: MEDIA,
        parameters: [bodyParameter(PATCH_REF), ...queryParameters('patch')],
        responses: {
          '200': { description: 'OK', schema },
          '201': { description: 'Created', schema },
          '401': UNAUTHORIZED,
        },
        'x-kubernetes-action': 'patch',
      },
      gvk,
    );
  }
  return out;
}

interface SubresourceContext {
  gvk: GroupVersionKind;
  definition: string | undefined;
  scope: string;
  op: string;
  kind: string;
  itemParams: V2Parameter[];
  operation: OperationFactory;
}

function subresourcePathItem(sub: SubresourceInfo, ctx: SubresourceContext): V2PathItem {
  const known = WELL_KNOWN_SUBRESOURCES[sub.name];
  const verbs = new Set(sub.verbs ?? known?.verbs ?? ['get']);
  const gvk = sub.kind ?? known?.kind ?? ctx.gvk;
  const definition =
    sub.definitionName ??
    ((sub.kind ?? known?.kind)
      ? definitionNameForGVK(gvk.group, gvk.version, gvk.kind)
      : ctx.definition);
  const schema: Schema =
    definition !== undefined ? { $ref: v2Ref(definition) } : { type: 'object' };
  const suffix = `${ctx.op}${ctx.scope}${ctx.kind}${capitalize(sub.name)}`;
  const target = `${sub.name} of the specified ${ctx.kind}`;
  const item: V2PathItem = { parameters: ctx.itemParams };
  const connect = verbs.has('connect');
  if (connect) {
    // Streaming subresources (exec, attach, portforward, proxy) upgrade the
    // connection; their operations carry no body schema.
    for (const method of ['get', 'post'] as const) {
      item[method] = ctx.operation(
        {
          description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${ctx.kind}`,
          operationId: `connect${ctx.op}${capitalize(method)}${ctx.scope}${ctx.kind}${capitalize(sub.name)}`,
          consumes: ['*/*'],
          produces: ['*/*'],
          responses: {
            '200': { description: 'OK', schema: { type: 'string' } },
            '401': UNAUTHORIZED,
          },
          'x-kubernetes-action': 'connect',
        },
        gvk,
      );
    }
    return item;
  }
  if (verbs.has('get')) {
    // "log" returns text, not an object.
    const responseSchema: Schema = sub.name === 'log' ? { type: 'string' } : schema;
    item.get = ctx.operation(
      {
        description: `read ${target}`,
        operationId: `read${suffix}`,
        consumes: ['*/*'],
        produces:
          sub.name === 'log'
            ? [
                'text/plain',
                'application/json',
                'application/yaml',
                'application/vnd.kubernetes.protobuf',
              ]
            : MEDIA,
        responses: { '200': { description: 'OK', schema: responseSchema }, '401': UNAUTHORIZED },
        'x-kubernetes-action': 'get',
      },
      gvk,
    );
  }
  Object.assign(item, writeOperations(verbs, suffix, target, schema, ctx.operation, gvk));
  if (verbs.has('create')) {
    item.post = ctx.operation(
      {
        description: `create ${sub.name} of a ${ctx.kind}`,
        operationId: `create${suffix}`,
        consumes: ['*/*'],
        produces: MEDIA,
        parameters: [bodyParameter(schema), ...queryParameters('create')],
        responses: {
          '200': { description: 'OK', schema },
          '201': { description: 'Created', schema },
          '202': { description: 'Accepted', schema },
          '401': UNAUTHORIZED,
        },
        'x-kubernetes-action': 'post',
      },
      gvk,
    );
  }
  return item;
}

function hasOperations(item: V2PathItem): boolean {
  return Object.keys(item).some((k) => k !== 'parameters');
}

const byName = (a: V2Parameter, b: V2Parameter): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
