// The Admission gRPC service: decodes the request once, runs the chain, and returns the
// object only when a plugin changed it.
import { newBadRequest } from '@splitplane/apimachinery';
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

export function admissionService(chain: AdmissionChain): ServiceRegistration {
  return {
    name: 'splitplane.v1.Admission',
    definition: AdmissionService,
    implementation: {
      admit: unary<AdmissionRequest, AdmissionResponse>(async (request) => {
        const attributes = attributesOf(request);
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
        const context = await chain.validate(attributesOf(request));
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
