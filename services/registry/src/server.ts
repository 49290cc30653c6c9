// splitplane.v1.Registry over the generic store. Each call keeps the caller's gRPC deadline,
// which the store carries to etcd and to admission.
import type { ServerUnaryCall } from '@grpc/grpc-js';
import {
  StatusError,
  newBadRequest,
  newMethodNotSupported,
  toStatusError,
} from '@splitplane/apimachinery';
import { type ServiceRegistration, unary, warningsOf, withWarnings } from '@splitplane/kit';
import {
  type ObjectResponse,
  type RequestAttributes,
  type WriteResponse,
  RegistryService,
  type RegistryServer,
} from '@splitplane/proto';
import { groupResourceOf } from '@splitplane/scheme';
import type { WriteContext, WriteResult } from './store/context.js';
import { connect } from './store/connect.js';
import { create } from './store/create.js';
import { deleteCollection } from './store/delete-collection.js';
import { deleteObject } from './store/delete.js';
import { patch } from './store/patch.js';
import { getScale } from './store/scale.js';
import type { Store } from './store/store.js';
import { update } from './store/update.js';

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): Date | undefined {
  const d = call.getDeadline();
  if (d instanceof Date) return Number.isFinite(d.getTime()) ? d : undefined;
  return typeof d === 'number' && Number.isFinite(d) ? new Date(d) : undefined;
}

function attrsOf(req: { attributes?: RequestAttributes | undefined }): RequestAttributes {
  if (!req.attributes) throw newBadRequest('request attributes are required');
  return req.attributes;
}

function respond(result: WriteResult, warnings: string[]): ObjectResponse {
  return {
    object: result.json ?? Buffer.from(JSON.stringify(result.object)),
    code: result.code,
    warnings: dedupe(warnings),
  };
}

/** A write's answer: the object, plus the audit annotations admission added on the way. */
function respondWrite(result: WriteResult, ctx: WriteContext): WriteResponse {
  return { ...respond(result, ctx.warnings), auditAnnotations: ctx.auditAnnotations };
}

function dedupe(warnings: string[]): string[] {
  return warnings.length < 2 ? warnings : [...new Set(warnings)];
}

/**
 * A write's outcome; a failure carries the warnings recorded before it (a mutating phase's,
 * say, ahead of a validating denial), which kube still sends as Warning headers.
 */
async function failing<T>(ctx: WriteContext, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (ctx.warnings.length === 0) throw err;
    // A fresh error keeps kube's order: what was recorded first comes first.
    const failure = StatusError.fromStatus(toStatusError(err).status);
    throw withWarnings(failure, dedupe([...ctx.warnings, ...warningsOf(err)]));
  }
}

export function registryService(store: Store): ServiceRegistration {
  const implementation: RegistryServer = {
    create: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      return respondWrite(await failing(ctx, create(store, ctx, req.object)), ctx);
    }),
    update: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      return respondWrite(await failing(ctx, update(store, ctx, req.object)), ctx);
    }),
    patch: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      return respondWrite(await failing(ctx, patch(store, ctx, req.patchType, req.patch)), ctx);
    }),
    delete: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      if (ctx.subresource) throw newMethodNotSupported(groupResourceOf(ctx.def), 'delete');
      return respondWrite(await failing(ctx, deleteObject(store, ctx, req.options)), ctx);
    }),
    deleteCollection: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      const result = await failing(ctx, deleteCollection(store, ctx, req.options, req.listOptions));
      return {
        items: result.items.map((o) => Buffer.from(JSON.stringify(o))),
        resourceVersion: result.resourceVersion,
        continue: '',
        warnings: dedupe(ctx.warnings),
        auditAnnotations: ctx.auditAnnotations,
      };
    }),
    connect: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      return respondWrite(await failing(ctx, connect(store, ctx, req.options)), ctx);
    }),
    get: unary(async (req, call) => {
      const ctx = store.context(attrsOf(req), deadlineOf(call));
      if (ctx.subresource !== 'scale') {
        throw newBadRequest(
          'the registry serves only computed reads (the scale subresource); read objects from the watch-cache',
        );
      }
      return respond(await getScale(store, ctx), ctx.warnings);
    }),
  };
  return { definition: RegistryService, implementation, name: 'splitplane.v1.Registry' };
}
