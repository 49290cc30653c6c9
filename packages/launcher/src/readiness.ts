// Probes that decide when a component is ready: HTTP health for etcd and NATS, gRPC
// health for the services, and the gateway's own /readyz over mutual TLS.
import { request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { HealthChecker } from '@splitplane/kit';
import { launcherGrpcCredentials } from './internal-links.js';
import type { DevPki } from '@splitplane/pki';
import type { Component, Readiness } from './components.js';
import { LauncherError } from './errors.js';
import { isAlive } from './processes.js';
import type { ProcessRecord } from './state.js';

/** Polls the component's probe until it passes; fails fast, with its log, if it exits. */
export async function waitReady(
  component: Component,
  record: ProcessRecord,
  pki: DevPki,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(record.pid)) {
      throw new LauncherError(
        `${component.name} exited during startup; see ${record.logFile}\n${await tail(record.logFile)}`,
      );
    }
    if (await probe(component.readiness, pki)) return;
    await sleep(100);
  }
  throw new LauncherError(
    `${component.name} was not ready after ${timeoutMs} ms; see ${record.logFile}\n${await tail(record.logFile)}`,
  );
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function probe(readiness: Readiness, pki: DevPki): Promise<boolean> {
  switch (readiness.kind) {
    case 'http':
      return httpOk(readiness.url);
    case 'grpc': {
      // Services demand an internal client certificate: the launcher has its own.
      const checker = new HealthChecker(readiness.target, await launcherGrpcCredentials(pki));
      try {
        return await checker.check(readiness.service, 1000);
      } finally {
        checker.close();
      }
    }
    case 'gateway':
      return gatewayReady(readiness.url, pki);
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function gatewayReady(url: string, pki: DevPki): Promise<boolean> {
  const [ca, cert, key] = await Promise.all([
    readFile(pki.ca.cert),
    readFile(pki.admin.cert),
    readFile(pki.admin.key),
  ]);
  return new Promise((resolve) => {
    const req = httpsRequest(url, { ca, cert, key, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
