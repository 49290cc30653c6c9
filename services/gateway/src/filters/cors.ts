// kube-apiserver's CORS filter: when the Origin matches one of --cors-allowed-origins
// (regular expressions, unanchored as kube's are), reflect it with kube's default allowed
// methods and headers; a preflight OPTIONS then ends with 204. Runs before authentication so
// browsers' credential-less preflights succeed.
import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'POST, GET, OPTIONS, PUT, DELETE, PATCH';
const ALLOWED_HEADERS =
  'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since';
const EXPOSED_HEADERS = 'Date';

export function corsFilter(allowedOrigins: string[]): RequestHandler {
  const patterns = allowedOrigins.map((p) => new RegExp(p));
  return (req, res, next) => {
    if (patterns.length === 0) return next();
    const origin = req.headers.origin;
    if (!origin) return next();
    res.vary('Origin');
    if (!patterns.some((re) => re.test(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
