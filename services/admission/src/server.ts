// The Admission gRPC service: decodes the request once, runs the chain, and returns the
// object only when a plugin changed it.
import { newBadRequest, newForbidden } from '@splitplane/apimachinery';
import { unary, type ServiceRegistration } from '@splitplane/kit';
import {
  AdmissionService,
  type AdmissionRequest,
  type AdmissionResponse,
  type DescribeRequest,
  type DescribeResponse,
  UserInfo,
} from '@splitplane/proto';
import type { KubeObject } from '@splitplane/scheme';
import {
  OPERATIONS,
  type AdmissionAttributes,
  type AdmissionChain,
  type Operation,
} from './chain/index.js';

function parseJson<T>(bytes: Uint8Array, what: string): T | undefined {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
  } catch (err) {
    throw newBadRequest(`admission: ${what} is not valid JSON`, err);
  }
}

function attributesOf(request: AdmissionRequest): AdmissionAttributes {
  const operation = request.operation as Operation;
  if (!OPERATIONS.includes(operation))
    throw newBadRequest(`admission: unknown operation "${request.operation}"`);
  return {
    uid: request.uid,
    kind: request.kind ?? { group: '', version: '', kind: '' },
    resource: request.resource ?? { group: '', version: '', resource: '' },
    subresource: request.subresource,
    name: request.name,
    namespace: request.namespace,
    operation,
    user: request.user ?? UserInfo.fromPartial({}),
    object: parseJson<KubeObject>(request.object, 'object'),
    oldObject: parseJson<KubeObject>(request.oldObject, 'oldObject'),
    dryRun: request.dryRun,
    options: parseJson<Record<string, unknown>>(request.options, 'options'),
  };
}

export interface AdmissionServiceOptions {
  /**
   * Resolves once the informers the chain reads have synced. Until then a request waits for
   * it up to `readyTimeoutMs` and then fails as kube's plugins do before their informers sync
   * (403 "not yet ready to handle request"), rather than admitting with an empty view.
   */
  ready?: Promise<void>;
  readyTimeoutMs?: number;
}

/** kube's plugins wait this long (WaitForReady) before refusing a request. */
const DEFAULT_READY_TIMEOUT_MS = 10_000;

function readyGate(
  opts: AdmissionServiceOptions,
): (attributes: AdmissionAttributes) => Promise<void> {
  let ready = opts.ready === undefined;
  void opts.ready?.then(
    () => {
      ready = true;
    },
    () => undefined,
  );
  const timeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return async (attributes) => {
    if (ready || !opts.ready) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([opts.ready.catch(() => undefined), timedOut]);
    clearTimeout(timer);
    if (!ready)
      throw newForbidden(
        { group: attributes.resource.group, resource: attributes.resource.resource },
        attributes.name,
        'not yet ready to handle request',
      );
  };
}

export function admissionService(
  chain: AdmissionChain,
  opts: AdmissionServiceOptions = {},
): ServiceRegistration {
  const waitReady = readyGate(opts);
  return {
    name: 'splitplane.v1.Admission',
    definition: AdmissionService,
    implementation: {
      admit: unary<AdmissionRequest, AdmissionResponse>(async (request) => {
        const attributes = attributesOf(request);
        await waitReady(attributes);
        const before = attributes.object === undefined ? '' : JSON.stringify(attributes.object);
        const context = await chain.admit(attributes);
        const after = attributes.object === undefined ? '' : JSON.stringify(attributes.object);
        return {
          object: after === before ? Buffer.alloc(0) : Buffer.from(after),
          warnings: context.warnings,
          auditAnnotations: context.auditAnnotations,
        };
      }),
      validate: unary<AdmissionRequest, AdmissionResponse>(async (request) => {
        const attributes = attributesOf(request);
        await waitReady(attributes);
        const context = await chain.validate(attributes);
        return {
          object: Buffer.alloc(0),
          warnings: context.warnings,
          auditAnnotations: context.auditAnnotations,
        };
      }),
      describe: unary<DescribeRequest, DescribeResponse>(async () => chain.describe()),
    },
  };
}
