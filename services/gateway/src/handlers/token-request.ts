// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token (`kubectl create token`): signs a
// bound ServiceAccount token. The ServiceAccount and the object in spec.boundObjectRef are
// read (uncached) from the watch-cache; the token names their uids, so deleting either
// invalidates it. Reaches here after `create serviceaccounts/token` was authorized.
import type { RequestHandler } from 'express';
import {
  invalid,
  newBadRequest,
  newConflict,
  newInvalid,
  newNotFound,
  newServiceUnavailable,
} from '@splitplane/apimachinery';
import type { Authentication, KubernetesClaim, ObjectRef } from '../authn/index.js';
import { ephemeralDefinition, methodNotAllowed, readObject, sendCreated } from './ephemeral.js';

const DEF = ephemeralDefinition(
  'authentication.k8s.io',
  'v1',
  'TokenRequest',
  'tokenrequests',
  true,
);
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/;
const GK = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export function tokenRequestHandler(authn: Authentication, maxBodyBytes: number): RequestHandler {
  return async (req, res, next) => {
    const m = PATH.exec(req.path);
    if (!m) return next();
    if (req.method !== 'POST') throw methodNotAllowed(req, DEF, 'serviceaccounts/token');
    const namespace = decodeURIComponent(m[1]!);
    const name = decodeURIComponent(m[2]!);
    const signer = authn.signer;
    if (!signer) {
      throw newServiceUnavailable(
        'token request is not available: the gateway has no --service-account-signing-key-file',
      );
    }
    const request = await readObject(req, DEF, maxBodyBytes);
    const metadata = (request.metadata ?? {}) as Record<string, unknown>;
    if (metadata.name && metadata.name !== name) {
      throw newInvalid(GK, name, [
        invalid('metadata.name', metadata.name, 'must match the service account name if specified'),
      ]);
    }
    if (metadata.namespace && metadata.namespace !== namespace) {
      throw newInvalid(GK, name, [
        invalid(
          'metadata.namespace',
          metadata.namespace,
          'must match the service account namespace if specified',
        ),
      ]);
    }
    const spec = (request.spec ?? {}) as {
      audiences?: unknown;
      expirationSeconds?: unknown;
      boundObjectRef?: BoundObjectRef | null;
    };
    let expirationSeconds =
      spec.expirationSeconds === undefined || spec.expirationSeconds === null
        ? DEFAULT_EXPIRATION_SECONDS
        : Number(spec.expirationSeconds);
    // kube reports these with an empty name.
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
      throw newInvalid(GK, '', [
        invalid(
          'spec.expirationSeconds',
          spec.expirationSeconds,
          'may not specify a duration less than 10 minutes',
        ),
      ]);
    }
    if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
      throw newInvalid(GK, '', [
        invalid(
          'spec.expirationSeconds',
          spec.expirationSeconds,
          'may not specify a duration larger than 2^32 seconds',
        ),
      ]);
    }
    const max = authn.maxTokenExpirationSeconds;
    if (max > 0 && expirationSeconds > max) expirationSeconds = max;
    const requested = Array.isArray(spec.audiences)
      ? spec.audiences.filter((a): a is string => typeof a === 'string')
      : [];
    const audiences = requested.length ? requested : authn.apiAudiences;

    const read = (ref: ObjectRef) => authn.objects.get(ref, true);
    const sa = await read({ resource: 'serviceaccounts', namespace, name });
    if (!sa) throw newNotFound({ group: '', resource: 'serviceaccounts' }, name);
    const claim: KubernetesClaim = {
      namespace,
      serviceaccount: { name, uid: String(sa.metadata?.uid ?? '') },
    };
    const bound = spec.boundObjectRef ?? undefined;
    if (bound) {
      const resource = boundResource(bound);
      const obj = await read({ resource, namespace, name: bound.name ?? '' });
      if (!obj) throw newNotFound({ group: '', resource }, bound.name ?? '');
      const uid = String(obj.metadata?.uid ?? '');
      if (bound.uid && bound.uid !== uid) {
        throw newConflict(
          { group: '', resource: bound.kind ?? '' },
          bound.name ?? '',
          `the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
      if (resource === 'pods') {
        // kube's ServiceAccount admission always sets the name; ours may not have.
        const podSa = obj.spec?.serviceAccountName || 'default';
        if (podSa !== name) {
          throw newBadRequest(
            `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`,
          );
        }
        claim.pod = { name: bound.name!, uid };
      } else {
        claim.secret = { name: bound.name!, uid };
      }
    }

    const now = new Date();
    const signed = await signer.sign({ audiences, expirationSeconds, claim, now });
    sendCreated(req, res, DEF, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { ...metadata, name, namespace, creationTimestamp: rfc3339(now) },
      spec: {
        audiences,
        expirationSeconds,
        boundObjectRef: bound ?? null,
      },
      status: { token: signed.token, expirationTimestamp: rfc3339(signed.expiration) },
    });
  };
}

function boundResource(ref: BoundObjectRef): 'pods' | 'secrets' {
  if ((ref.apiVersion ?? 'v1') === 'v1') {
    if (ref.kind === 'Pod') return 'pods';
    if (ref.kind === 'Secret') return 'secrets';
  }
  // Go's GroupVersionKind.String(): "<group>/<version>, Kind=<kind>" ("/v1" for the core group).
  const apiVersion = ref.apiVersion ?? '';
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  throw newBadRequest(`cannot bind token to object of type ${gv}, Kind=${ref.kind ?? ''}`);
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
