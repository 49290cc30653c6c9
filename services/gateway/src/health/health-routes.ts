// /healthz, /livez and /readyz in kube's format: "ok", or with ?verbose one `[+]name ok`
// line per check and "<endpoint> check passed"; any failure answers 500 with
// `[-]name failed: reason withheld` lines and "<endpoint> check failed". Each check is also
// served alone at /<endpoint>/<name>; ?exclude=<name> skips checks.
import { Router, type Request, type Response } from 'express';
import type { HealthCheck } from './checks.js';
import { logger } from '../logger.js';

export interface HealthEndpoints {
  healthz: HealthCheck[];
  livez: HealthCheck[];
  readyz: HealthCheck[];
}

export function healthRouter(endpoints: HealthEndpoints): Router {
  const router = Router();
  for (const [name, checks] of Object.entries(endpoints) as Array<[string, HealthCheck[]]>) {
    router.get(`/${name}`, (req, res) => runAll(name, checks, req, res));
    for (const check of checks) {
      router.get(`/${name}/${check.name}`, async (_req, res) => {
        try {
          await check.check();
          text(res, 200, 'ok');
        } catch (err) {
          text(res, 500, `internal server error: ${(err as Error).message}\n`);
        }
      });
    }
  }
  return router;
}

async function runAll(
  endpoint: string,
  checks: HealthCheck[],
  req: Request,
  res: Response,
): Promise<void> {
  const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  const verbose = query.has('verbose');
  const excluded = new Set(query.getAll('exclude').flatMap((v) => v.split(',')));
  const results = await Promise.all(
    checks.map(async (check) => {
      if (excluded.has(check.name))
        return { name: check.name, line: `[+]${check.name} excluded: ok`, ok: true };
      try {
        await check.check();
        return { name: check.name, line: `[+]${check.name} ok`, ok: true };
      } catch (err) {
        logger().warn(
          { check: check.name, endpoint, err: (err as Error).message },
          'health check failed',
        );
        return { name: check.name, line: `[-]${check.name} failed: reason withheld`, ok: false };
      }
    }),
  );
  const lines = results.map((r) => `${r.line}\n`).join('');
  if (results.some((r) => !r.ok)) {
    text(res, 500, `${lines}${endpoint} check failed\n`);
    return;
  }
  text(res, 200, verbose ? `${lines}${endpoint} check passed\n` : 'ok');
}

function text(res: Response, code: number, body: string): void {
  res.status(code);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.end(body);
}
