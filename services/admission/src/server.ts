// The Admission gRPC service: decodes the request (request-attributes.ts), runs the chain,
// and returns the object only when a plugin changed it.
import { newForbidden } from '@splitplane/apimachinery';
import { unary, type ServiceRegistration } from '@splitplane/kit';
import {
  AdmissionService,
  type AdmissionRequest,
  type AdmissionResponse,
  type DescribeRequest,
  type DescribeResponse,
} from '@splitplane/proto';
import type { AdmissionAttributes, AdmissionChain } from './chain/index.js';
import { decodeRequest } from './request-attributes.js';

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
        const { attributes, changedObject } = decodeRequest(request);
        await waitReady(attributes);
        const context = await chain.admit(attributes);
        return {
          object: changedObject(),
          warnings: context.warnings,
          auditAnnotations: context.auditAnnotations,
        };
      }),
      validate: unary<AdmissionRequest, AdmissionResponse>(async (request) => {
        const { attributes } = decodeRequest(request);
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
