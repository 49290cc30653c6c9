// Dispatches resource requests (RequestInfo.isResourceRequest) to the verb handlers after
// resolving the resource through the Scheme.
import type { RequestHandler } from 'express';
import { newMethodNotSupported } from '@splitplane/apimachinery';
import { contextOf } from '../request-context.js';
import { resolveResource } from './resolve.js';
import { type HandlerDeps, type ResourceRequest, queryOf } from './resource-request.js';
import { handleGet } from './get.js';
import { handleList } from './list.js';
import { handleWatch } from './watch.js';
import { handleCreate } from './create.js';
import { handleUpdate } from './update.js';
import { handlePatch } from './patch.js';
import { handleDelete } from './delete.js';
import { handleDeleteCollection } from './delete-collection.js';
import { handleConnect, isConnectSubresource } from './connect.js';

const HANDLERS: Record<string, (r: ResourceRequest) => Promise<void>> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

export function resourceRouter(deps: HandlerDeps): RequestHandler {
  return async (req, res, next) => {
    const ctx = contextOf(req);
    if (!ctx.info.isResourceRequest) return next();
    const def = resolveResource(deps.scheme, ctx.info);
    const r = { req, res, ctx, def, query: queryOf(req), deps };
    if (isConnectSubresource(def, ctx.info.subresource)) return handleConnect(r);
    const handler = HANDLERS[ctx.info.verb];
    if (!handler)
      throw newMethodNotSupported(
        { group: def.group, resource: def.plural },
        ctx.info.verb || req.method,
      );
    await handler(r);
  };
}
