// Helpers for create-only, never-stored kinds the gateway answers itself (TokenReview,
// SelfSubjectReview, TokenRequest): a definition to negotiate with (protobuf included), the
// body read as JSON, and the 201 answer in the negotiated form.
import type { Request, Response } from 'express';
import { StatusError, newBadRequest } from '@splitplane/apimachinery';
import type { ResourceDefinition } from '@splitplane/scheme';
import { contextOf } from '../request-context.js';
import { decodeObjectBody } from '../negotiation/decode-body.js';
import { encodeObject, negotiateFor } from '../negotiation/encode.js';
import { readBody } from '../negotiation/read-body.js';

export function ephemeralDefinition(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced = false,
): ResourceDefinition {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    categories: [],
    namespaced,
    verbs: ['create'],
    subresources: {},
    storageVersion: version,
    etcdResource: '',
    openapiName: `io.k8s.api.${group.split('.')[0]}.${version}.${kind}`,
    selectableFields: [],
  };
}

export function methodNotAllowed(req: Request, def: ResourceDefinition, what: string): StatusError {
  return new StatusError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: `${req.method} is not supported on ${what}`,
    details: { group: def.group, kind: def.plural },
  });
}

/** The request body as a JSON object (JSON, YAML or protobuf on the wire). */
export async function readObject(
  req: Request,
  def: ResourceDefinition,
  maxBodyBytes: number,
): Promise<Record<string, any>> {
  negotiateFor(req, def); // a 406 before reading the body
  const body = decodeObjectBody(
    await readBody(req, maxBodyBytes),
    req.headers['content-type'],
    def.kind,
  );
  const obj = JSON.parse(body.toString('utf8')) as unknown;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw newBadRequest(`the object provided is unrecognized (must be of type ${def.kind})`);
  }
  return obj as Record<string, any>;
}

export function sendCreated(
  req: Request,
  res: Response,
  def: ResourceDefinition,
  obj: Record<string, unknown>,
): void {
  const ctx = contextOf(req);
  if (ctx.timedOut || res.headersSent) return;
  const format = negotiateFor(req, def);
  const encoded = encodeObject(req, def, format, Buffer.from(JSON.stringify(obj)));
  res.status(201);
  res.setHeader('Content-Type', encoded.contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(encoded.body);
}
