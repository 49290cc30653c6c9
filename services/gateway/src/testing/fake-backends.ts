// Minimal in-test gRPC peers implementing the generated Registry, WatchCache and Authorizer
// service interfaces over real gRPC, so the gateway's HTTP behaviour can be tested without
// the real services. An in-memory map stands in for storage.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { newNotFound, newAlreadyExists } from '@splitplane/apimachinery';
import { type GrpcServerHandle, startGrpcServer, unary } from '@splitplane/kit';
import {
  AuthorizerService,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type CreateRequest,
  type DeleteCollectionRequest,
  type DeleteRequest,
  Decision,
  type GetRequest,
  type ListRequest,
  type ListPiece,
  type ListResponse,
  type DeleteCollectionResponse,
  type ObjectResponse,
  type WriteResponse,
  type PatchRequest,
  RegistryService,
  type RegistryGetRequest,
  type RequestAttributes,
  type UpdateRequest,
  WatchCacheService,
} from '@splitplane/proto';

export interface FakeBackends {
  address: string;
  server: GrpcServerHandle;
  objects: Map<string, Record<string, unknown>>;
  /** Every request the fakes received, newest last. */
  calls: Array<{ method: string; request: unknown }>;
  /** Warnings attached to every ObjectResponse/ListResponse. */
  warnings: string[];
  /** Users the authorizer denies (NoOpinion, as RBAC answers). */
  denied: Set<string>;
  /** Users for whom Authorize fails with an error instead of deciding. */
  authzErrors: Set<string>;
  /** Names whose writes hang until the call is cancelled (timeouts, in-flight limits). */
  hangNames: Set<string>;
  /** How many hanging calls ended because the caller cancelled them. */
  readonly cancelledCalls: number;
  stop(): Promise<void>;
}

export async function startFakeBackends(): Promise<FakeBackends> {
  const objects = new Map<string, Record<string, unknown>>();
  const calls: FakeBackends['calls'] = [];
  const warnings: string[] = [];
  const denied = new Set<string>();
  const authzErrors = new Set<string>();
  const hangNames = new Set<string>();
  let rv = 100;
  let cancelledCalls = 0;

  const key = (a: RequestAttributes | undefined, name?: string) =>
    `${a?.resource?.group}/${a?.resource?.resource}/${a?.namespace}/${name ?? a?.name}`;
  const gr = (a: RequestAttributes | undefined) => ({
    group: a?.resource?.group ?? '',
    resource: a?.resource?.resource ?? '',
  });
  // A WriteResponse also serves as an ObjectResponse (the watch-cache's Get ignores the extra field).
  const respond = (obj: unknown, code = 200): ObjectResponse & WriteResponse => ({
    object: Buffer.from(JSON.stringify(obj)),
    code,
    warnings: [...warnings],
    auditAnnotations: {},
  });
  const hang = (name: string, cancelled: () => boolean) =>
    new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (cancelled() || !hangNames.has(name)) {
          if (cancelled()) cancelledCalls++;
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });

  const registry = {
    create: unary<CreateRequest, ObjectResponse>(async (req, call) => {
      calls.push({ method: 'Registry.Create', request: req });
      const obj = JSON.parse(req.object.toString('utf8')) as { metadata?: Record<string, unknown> };
      const name = String(obj.metadata?.name ?? '');
      if (hangNames.has(name)) {
        await hang(name, () => call.cancelled);
        if (call.cancelled) throw new Error('cancelled');
      }
      const k = key(req.attributes, name);
      if (objects.has(k)) throw newAlreadyExists(gr(req.attributes), name);
      obj.metadata = {
        ...obj.metadata,
        namespace: req.attributes?.namespace || undefined,
        resourceVersion: String(++rv),
        creationTimestamp: new Date(Date.now() - 90_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      if (!req.attributes?.dryRun) objects.set(k, obj);
      return respond(obj, 201);
    }),
    update: unary<UpdateRequest, ObjectResponse>(async (req) => {
      calls.push({ method: 'Registry.Update', request: req });
      const obj = JSON.parse(req.object.toString('utf8')) as { metadata?: Record<string, unknown> };
      objects.set(key(req.attributes), obj);
      return respond(obj);
    }),
    patch: unary<PatchRequest, ObjectResponse>(async (req) => {
      calls.push({ method: 'Registry.Patch', request: req });
      const cur = objects.get(key(req.attributes));
      if (!cur) throw newNotFound(gr(req.attributes), req.attributes?.name ?? '');
      const patch = JSON.parse(req.patch.toString('utf8')) as Record<string, unknown>;
      const next = { ...cur, ...patch };
      objects.set(key(req.attributes), next);
      return respond(next);
    }),
    delete: unary<DeleteRequest, ObjectResponse>(async (req) => {
      calls.push({ method: 'Registry.Delete', request: req });
      const k = key(req.attributes);
      const cur = objects.get(k);
      if (!cur) throw newNotFound(gr(req.attributes), req.attributes?.name ?? '');
      if (!req.attributes?.dryRun) objects.delete(k);
      return respond(cur);
    }),
    deleteCollection: unary<DeleteCollectionRequest, DeleteCollectionResponse>(async (req) => {
      calls.push({ method: 'Registry.DeleteCollection', request: req });
      return {
        items: [],
        resourceVersion: String(rv),
        continue: '',
        warnings: [],
        auditAnnotations: {},
      };
    }),
    get: unary<RegistryGetRequest, ObjectResponse>(async (req) => {
      calls.push({ method: 'Registry.Get', request: req });
      const cur = objects.get(key(req.attributes));
      if (!cur) throw newNotFound(gr(req.attributes), req.attributes?.name ?? '');
      const spec = (cur.spec ?? {}) as { replicas?: number };
      return respond({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: cur.metadata,
        spec: { replicas: spec.replicas ?? 1 },
        status: { replicas: 0 },
      });
    }),
  };

  const listOf = (req: ListRequest): ListResponse => {
    const a = req.attributes;
    const prefix = `${a?.resource?.group}/${a?.resource?.resource}/${a?.namespace ? `${a.namespace}/` : ''}`;
    const items = [...objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, v]) => Buffer.from(JSON.stringify(v)));
    return { items, resourceVersion: String(rv), continue: '', warnings: [...warnings] };
  };

  const watchCache = {
    get: unary<GetRequest, ObjectResponse>(async (req) => {
      calls.push({ method: 'WatchCache.Get', request: req });
      const cur = objects.get(key(req.attributes));
      if (!cur) throw newNotFound(gr(req.attributes), req.attributes?.name ?? '');
      return respond(cur);
    }),
    list: unary<ListRequest, ListResponse>(async (req) => {
      calls.push({ method: 'WatchCache.List', request: req });
      return listOf(req);
    }),
    // As the real one: the metadata and totals on the first piece, then one item a piece.
    streamList: (call: ServerWritableStream<ListRequest, ListPiece>) => {
      calls.push({ method: 'WatchCache.List', request: call.request });
      const { items, resourceVersion, warnings } = listOf(call.request);
      const totalBytes = items.reduce((n, b) => n + b.length, Math.max(0, items.length - 1));
      const pieces = items.length > 0 ? items : [Buffer.alloc(0)];
      pieces.forEach((item, i) => {
        call.write({
          itemsJson: i > 0 ? Buffer.concat([Buffer.from(','), item]) : item,
          itemCount: item.length > 0 ? 1 : 0,
          resourceVersion: i === 0 ? resourceVersion : '',
          continue: '',
          warnings: i === 0 ? warnings : [],
          totalItems: i === 0 ? String(items.length) : '0',
          totalItemsJsonBytes: i === 0 ? String(totalBytes) : '0',
        });
      });
      call.end();
    },
    events: unary(async () => ({ events: [], throughRv: String(rv) })),
  };

  const authz = {
    authorize: unary<AuthorizeRequest, AuthorizeResponse>(async (req) => {
      calls.push({ method: 'Authorizer.Authorize', request: req });
      const user = req.user?.username ?? '';
      if (authzErrors.has(user)) throw new Error(`authorizer failed for ${user}`);
      return denied.has(user)
        ? { decision: Decision.DECISION_NO_OPINION, reason: '', evaluationError: '' }
        : { decision: Decision.DECISION_ALLOW, reason: '', evaluationError: '' };
    }),
  };

  const server = await startGrpcServer('127.0.0.1:0', [
    { definition: RegistryService, implementation: registry, name: 'splitplane.v1.Registry' },
    { definition: WatchCacheService, implementation: watchCache, name: 'splitplane.v1.WatchCache' },
    { definition: AuthorizerService, implementation: authz, name: 'splitplane.v1.Authorizer' },
  ]);
  return {
    address: `127.0.0.1:${server.port}`,
    server,
    objects,
    calls,
    warnings,
    denied,
    authzErrors,
    hangNames,
    get cancelledCalls() {
      return cancelledCalls;
    },
    stop: () => server.stop(500),
  };
}
