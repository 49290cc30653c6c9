// Probes and lifecycle handlers (kube's validateProbe / validateHandler / validateLifecycle).
import {
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '@splitplane/apimachinery';
import { type JsonObject, isInt, isObject, objects, strings } from '../internal/json.js';
import { each, isHTTPHeaderName, isValidPortName, isValidPortNum } from '../internal/meta.js';
import { child, index } from '../internal/path.js';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

/** An IntOrString port: a number in 1..65535 or an IANA service name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') return each(path, port, isValidPortName(port));
  const n = typeof port === 'number' ? port : 0;
  return each(path, n, isValidPortNum(n));
}

export function validateNonnegative(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!isInt(value) || value < 0)
    return [invalid(path, value, 'must be greater than or equal to 0')];
  return [];
}

function validateHandlerKinds(handler: JsonObject, kinds: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    if (handler[kind] === undefined || handler[kind] === null) continue;
    if (n > 0) {
      errs.push(forbidden(child(path, kind), 'may not specify more than 1 handler type'));
      continue;
    }
    n += 1;
    const h = isObject(handler[kind]) ? handler[kind] : {};
    const p = child(path, kind);
    switch (kind) {
      case 'exec':
        if (strings(h['command']).length === 0) errs.push(required(child(p, 'command'), ''));
        break;
      case 'httpGet':
        errs.push(...validateHTTPGet(h, p));
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(h['port'], child(p, 'port')));
        break;
      case 'grpc': {
        const port = isInt(h['port']) ? h['port'] : 0;
        errs.push(...each(child(p, 'port'), port, isValidPortNum(port)));
        break;
      }
      case 'sleep': {
        const s = h['seconds'];
        if (!isInt(s) || s < 0)
          errs.push(invalid(child(p, 'seconds'), s, 'must be non-negative integer'));
        break;
      }
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateHTTPGet(h: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof h['path'] !== 'string' || h['path'] === '')
    errs.push(required(child(path, 'path'), ''));
  errs.push(...validatePortNumOrName(h['port'], child(path, 'port')));
  const scheme = h['scheme'];
  if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') {
    errs.push(notSupported(child(path, 'scheme'), scheme, ['HTTP', 'HTTPS']));
  }
  objects(h['httpHeaders']).forEach((hdr, i) => {
    const name = typeof hdr['name'] === 'string' ? hdr['name'] : '';
    errs.push(
      ...each(child(index(child(path, 'httpHeaders'), i), 'name'), name, isHTTPHeaderName(name)),
    );
  });
  return errs;
}

export interface ProbeOptions {
  /** Liveness and startup probes must have successThreshold 1. */
  successThresholdOne: boolean;
}

export function validateProbe(probe: unknown, path: string, opts: ProbeOptions): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandlerKinds(probe, PROBE_HANDLERS, path);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    errs.push(...validateNonnegative(probe[f], child(path, f)));
  }
  const grace = probe['terminationGracePeriodSeconds'];
  if (grace !== undefined && grace !== null && (!isInt(grace) || grace <= 0)) {
    errs.push(
      invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must be greater than 0'),
    );
  }
  if (
    opts.successThresholdOne &&
    probe['successThreshold'] !== undefined &&
    probe['successThreshold'] !== 1
  ) {
    errs.push(invalid(child(path, 'successThreshold'), probe['successThreshold'], 'must be 1'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: unknown, path: string): FieldError[] {
  if (!isObject(lifecycle)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isObject(lifecycle[hook]))
      errs.push(...validateHandlerKinds(lifecycle[hook], LIFECYCLE_HANDLERS, child(path, hook)));
  }
  const sig = lifecycle['stopSignal'];
  if (sig !== undefined && (typeof sig !== 'string' || !/^SIG[A-Z0-9+-]+$/.test(sig))) {
    errs.push(invalid(child(path, 'stopSignal'), sig, 'must be a valid signal name'));
  }
  return errs;
}
