// Express routes for /version and discovery: /api, /api/<v>, /apis, /apis/<g>, /apis/<g>/<v>.
// Documents are cached per Scheme state; /api and /apis negotiate aggregated discovery.
import type { IncomingMessage } from 'node:http';
import { newPathNotFound } from '@splitplane/apimachinery';
import type { Scheme } from '@splitplane/scheme';
import { type Request, type Response, Router } from 'express';
import { stringify as toYaml } from 'yaml';
import { aggregatedDiscovery } from './aggregated.js';
import { SchemeDocumentCache, sendCached } from './cached-body.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './documents.js';
import { type DiscoveryFormat, negotiateDiscovery } from './negotiate.js';
import { type VersionInfo, versionHandler, versionInfo } from './version.js';

export interface DiscoveryOptions {
  /** Address clients should use, for APIVersions.serverAddressByClientCIDRs. */
  serverAddress?: (req: IncomingMessage) => string;
  version?: VersionInfo;
}

function localAddress(req: IncomingMessage): string {
  const host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const port = req.socket.localPort ?? 6443;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export class DiscoveryHandlers {
  private readonly cache: SchemeDocumentCache;
  private readonly serverAddress: (req: IncomingMessage) => string;

  constructor(
    private readonly scheme: Scheme,
    options: DiscoveryOptions = {},
  ) {
    this.cache = new SchemeDocumentCache(scheme);
    this.serverAddress = options.serverAddress ?? localAddress;
  }

  /** GET /api */
  readonly api = (req: Request, res: Response): void => {
    res.setHeader('Vary', 'Accept');
    const format = negotiateDiscovery(req.headers.accept, true);
    if (format.kind === 'aggregated') {
      this.sendDoc(req, res, format, `agg/core/${format.version}`, () =>
        aggregatedDiscovery(this.scheme, 'core', format.version),
      );
      return;
    }
    // serverAddress depends on the request, so /api is not cached.
    this.sendDoc(req, res, format, undefined, () =>
      apiVersions(this.scheme, this.serverAddress(req)),
    );
  };

  /** GET /apis */
  readonly apis = (req: Request, res: Response): void => {
    res.setHeader('Vary', 'Accept');
    const format = negotiateDiscovery(req.headers.accept, true);
    if (format.kind === 'aggregated') {
      this.sendDoc(req, res, format, `agg/apis/${format.version}`, () =>
        aggregatedDiscovery(this.scheme, 'apis', format.version),
      );
      return;
    }
    this.sendDoc(req, res, format, 'apis', () => apiGroupList(this.scheme));
  };

  /** GET /api/<version> */
  readonly coreVersion = (req: Request, res: Response): void => {
    const version = String(req.params.version);
    const format = negotiateDiscovery(req.headers.accept, false);
    this.sendDoc(req, res, format, `api/${version}`, () =>
      apiResourceList(this.scheme, '', version),
    );
  };

  /** GET /apis/<group> */
  readonly group = (req: Request, res: Response): void => {
    const group = String(req.params.group);
    const format = negotiateDiscovery(req.headers.accept, false);
    this.sendDoc(req, res, format, `apis/${group}`, () => apiGroup(this.scheme, group));
  };

  /** GET /apis/<group>/<version> */
  readonly groupVersion = (req: Request, res: Response): void => {
    const group = String(req.params.group);
    const version = String(req.params.version);
    const format = negotiateDiscovery(req.headers.accept, false);
    this.sendDoc(req, res, format, `apis/${group}/${version}`, () =>
      apiResourceList(this.scheme, group, version),
    );
  };

  private sendDoc(
    req: Request,
    res: Response,
    format: DiscoveryFormat,
    key: string | undefined,
    build: () => unknown,
  ): void {
    const encode = () => {
      const doc = build();
      if (doc === undefined) return undefined;
      return format.kind === 'legacy' && format.encoding === 'yaml'
        ? toYaml(doc)
        : JSON.stringify(doc);
    };
    const cacheKey = key === undefined ? undefined : `${key}#${format.contentType}`;
    const cached = cacheKey === undefined ? undefined : this.cache.get(cacheKey, encode);
    if (cacheKey === undefined) {
      const body = encode();
      if (body === undefined) throw newPathNotFound();
      res.status(200).type(format.contentType).send(Buffer.from(body));
      return;
    }
    if (!cached) throw newPathNotFound();
    if (format.kind === 'aggregated') {
      sendCached(req, res, cached, format.contentType);
    } else {
      res.status(200).setHeader('Content-Type', format.contentType);
      res.end(req.method === 'HEAD' ? undefined : cached.body);
    }
  }
}

/** Router serving /version and every discovery path. Mount at the root. */
export function discoveryRouter(scheme: Scheme, options: DiscoveryOptions = {}): Router {
  const h = new DiscoveryHandlers(scheme, options);
  const router = Router();
  router.get('/version', versionHandler(options.version ?? versionInfo()));
  router.get('/api', h.api);
  router.get('/apis', h.apis);
  router.get('/api/:version', h.coreVersion);
  router.get('/apis/:group', h.group);
  router.get('/apis/:group/:version', h.groupVersion);
  return router;
}
