// --goaway-chance: kube sends HTTP/2 GOAWAY on a random fraction of requests so clients
// reconnect through the load balancer and spread over replicas. The gateway serves
// HTTP/1.1 (express on node:https), where the equivalent is `Connection: close` on that
// fraction: the client's next request opens a fresh connection. Long-running requests are
// left alone, as kube does.
import type { RequestHandler } from 'express';
import { contextOf } from '../request-context.js';

export function goawayFilter(chance: number, random: () => number = Math.random): RequestHandler {
  return (req, res, next) => {
    if (chance > 0 && !contextOf(req).longRunning && random() < chance)
      res.setHeader('Connection', 'close');
    next();
  };
}
