// Range and Txn on etcd3's own KV gRPC client, without the etcd3 call wrapper around it.
//
// Every `client.kv.*` call goes through etcd3's ConnectionPool.exec: a host generator, the
// global and per-host fault-handling policies (no-ops here, DESIGN §10), an auth-metadata
// promise, four nested async functions, and grpc-js's per-call stack capture taken under
// all of them. Measured on the registry's create path that is about a tenth of the client's
// CPU per call. This module calls the very same grpc-js client etcd3 created (same channel,
// same credentials, same proto codec) and keeps what the wrapper does that matters with our
// settings: a random host per call, errors cast to etcd3's typed errors, and a host's
// clients reset after a recoverable (connection) error so the next call redials.
//
// It relies on etcd3 1.x's ConnectionPool shape; anything unexpected (a different etcd3, a
// mocked pool, password auth, default call options) falls back to `client.kv`, which is
// what the wrapper would have done anyway.
import type { CallOptions } from '@grpc/grpc-js';
import {
  type Etcd3,
  type IRangeRequest,
  type IRangeResponse,
  type ITxnRequest,
  type ITxnResponse,
  castGrpcError,
  isRecoverableError,
} from 'etcd3';

export interface KvRpc {
  range(req: IRangeRequest, options?: Partial<CallOptions>): Promise<IRangeResponse>;
  txn(req: ITxnRequest, options?: Partial<CallOptions>): Promise<ITxnResponse>;
}

type Callback<T> = (err: Error | null, res: T) => void;
// Called without metadata: grpc-js then makes its own (no Metadata class from a possibly
// different grpc-js copy than etcd3's crosses over).
type UnaryFn<Req, Res> = (req: Req, options: Partial<CallOptions>, cb: Callback<Res>) => unknown;

/** The parts of etcd3's (private) ConnectionPool and Host this module uses. */
interface PoolHost {
  getServiceClient(name: 'KV'): {
    range: UnaryFn<IRangeRequest, IRangeResponse>;
    txn: UnaryFn<ITxnRequest, ITxnResponse>;
  };
  resetAllServices(): void;
}
interface Pool {
  hosts?: PoolHost[];
  mockImpl?: unknown;
  callOptionsFactory?: unknown;
  options?: { auth?: unknown };
}

const NO_OPTIONS: Partial<CallOptions> = Object.freeze({});

export function kvRpc(client: Etcd3): KvRpc {
  const pool = (client as unknown as { pool?: Pool }).pool;
  const hosts = pool?.hosts;
  const usable =
    pool !== undefined &&
    Array.isArray(hosts) &&
    hosts.length > 0 &&
    hosts.every((h) => typeof h.getServiceClient === 'function') &&
    pool.callOptionsFactory === undefined &&
    !pool.options?.auth;
  if (!usable) return client.kv;
  const direct = <Req, Res>(
    method: 'range' | 'txn',
    req: Req,
    options: Partial<CallOptions> | undefined,
  ): Promise<Res> => {
    // etcd3's mock() swaps the pool's transport; honour it as the wrapper does.
    if (pool.mockImpl) return client.kv[method](req as never, options) as Promise<Res>;
    const host = hosts.length === 1 ? hosts[0]! : hosts[Math.floor(Math.random() * hosts.length)]!;
    return new Promise<Res>((resolve, reject) => {
      let kv;
      try {
        kv = host.getServiceClient('KV');
      } catch (err) {
        reject(err); // the client was closed: etcd3 throws the same ClientClosedError
        return;
      }
      const fn = kv[method] as unknown as UnaryFn<Req, Res>;
      // grpc-js captures a stack trace per unary call only to append it to error stacks;
      // the errors here are recast by etcd3's castGrpcError and never show it.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        fn.call(kv, req, options ?? NO_OPTIONS, (err, res) => {
          if (!err) return resolve(res);
          const cast = castGrpcError(err);
          if (isRecoverableError(cast)) host.resetAllServices();
          reject(cast);
        });
      } catch (err) {
        reject(err);
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
  };
  return {
    range: (req, options) => direct('range', req, options),
    txn: (req, options) => direct('txn', req, options),
  };
}
