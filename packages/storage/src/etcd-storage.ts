// The storage interface over etcd, after k8s.io/apiserver's storage.Interface: create, get,
// list, guaranteedUpdate and delete, with compare-and-swap on mod_revision and
// resourceVersion = mod_revision as a decimal string (never a JS number).
import type { Etcd3, IKeyValue, ITxnResponse } from 'etcd3';
import type { KubeObject } from '@splitplane/scheme';
import type { CallOptions } from '@grpc/grpc-js';
import { decodeObject, encodeObject, encodeObjectForReply, withResourceVersion } from './codec.js';
import {
  CompactedError,
  ConflictError,
  ETCD_COMPACTED,
  ETCD_GRPC_TOO_LARGE,
  ETCD_TOO_LARGE,
  EntityTooLargeError,
  KeyExistsError,
  KeyNotFoundError,
  PreconditionError,
  messageOf,
} from './errors.js';
import { type KvRpc, kvRpc } from './kv-rpc.js';
import { jsonWithResourceVersion } from './raw-json.js';
import { type Preconditions, checkPreconditions } from './preconditions.js';
import {
  type ListOptions,
  type ListResult,
  type RawListResult,
  listRange,
  listRangeRaw,
} from './list.js';

/** etcd's default --max-request-bytes (1.5 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** Room left for the key and txn framing inside one etcd request. */
const REQUEST_OVERHEAD_BYTES = 512;
/** GuaranteedUpdate keeps retrying lost CAS races; this only stops a pathological livelock. */
const MAX_CAS_ATTEMPTS = 64;

/** Returned from a tryUpdate to delete the key instead of writing it (CAS on the read revision). */
export const DELETE: unique symbol = Symbol('delete');
export type DeleteMarker = typeof DELETE;

export interface CallScope {
  /** Absolute deadline of the request this call serves. */
  deadline?: Date;
}

export interface WriteOptions extends CallScope {
  dryRun?: boolean;
}

export interface CreateResult {
  /** The object as stored, with its resourceVersion (what create() returns). */
  obj: KubeObject;
  /** `JSON.stringify(obj)` as UTF-8: the stored bytes with the resourceVersion spliced in. */
  json: Buffer;
}

export interface RawGetResult {
  /** `JSON.stringify(obj)` of the object get() would return, as UTF-8. */
  json: Buffer;
  rv: string;
}

export interface GetResult {
  obj: KubeObject;
  rv: string;
}

/**
 * Computes the next object from the current one (undefined when absent and ignoreNotFound).
 * Throwing aborts the update with that error.
 */
export type TryUpdate = (
  current: KubeObject | undefined,
  rv: string,
) => KubeObject | DeleteMarker | Promise<KubeObject | DeleteMarker>;

export interface GuaranteedUpdateOptions extends WriteOptions {
  preconditions?: Preconditions;
  /** Call tryUpdate with `undefined` instead of failing when the key is absent (create-on-update). */
  ignoreNotFound?: boolean;
}

export interface UpdateResult {
  /** The object as stored now (or as it was, when deleted), with its resourceVersion. */
  obj: KubeObject;
  created: boolean;
  deleted: boolean;
  /** False when tryUpdate returned the current object byte for byte and nothing was written. */
  changed: boolean;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: Preconditions;
  /** Runs against the current object before each delete attempt; throw to refuse. */
  validateDeletion?: (current: KubeObject) => void | Promise<void>;
}

export interface EtcdStorageOptions {
  /** Largest etcd request we send; a bigger object is a 413. Default 1.5 MiB. */
  maxRequestBytes?: number;
}

interface RawState {
  kv: IKeyValue | undefined;
  rv: string;
}

export class EtcdStorage {
  readonly maxRequestBytes: number;
  /** Range and Txn without etcd3's per-call wrapper (kv-rpc.ts). */
  private readonly kv: KvRpc;

  constructor(
    readonly client: Etcd3,
    opts: EtcdStorageOptions = {},
  ) {
    this.maxRequestBytes = opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.kv = kvRpc(client);
  }

  /** Stores `obj` at `key` if the key does not exist; returns it with its resourceVersion. */
  async create(key: string, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const rv = await this.createValue(key, this.encode(key, obj), opts);
    return withResourceVersion(obj, rv);
  }

  /**
   * create(), plus the returned object's JSON (`json`, byte for byte
   * `JSON.stringify(result.obj)`) built from the bytes written to etcd, so a caller replying
   * with the object need not serialise it again.
   */
  async createRaw(key: string, obj: KubeObject, opts: WriteOptions = {}): Promise<CreateResult> {
    const encoded = encodeObjectForReply(obj);
    this.checkSize(key, encoded.value);
    const rv = await this.createValue(key, encoded.value, opts);
    return { obj: withResourceVersion(obj, rv), json: encoded.withResourceVersion(rv) };
  }

  /** The create-if-absent txn; the new revision, or undefined for a dry run. */
  private async createValue(
    key: string,
    value: Buffer,
    opts: WriteOptions,
  ): Promise<string | undefined> {
    if (opts.dryRun) {
      if ((await this.readRaw(key, opts)).kv) throw new KeyExistsError(key);
      return undefined;
    }
    const k = Buffer.from(key);
    const resp = await this.txn(
      {
        compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key: k, value } }],
        failure: [],
      },
      opts,
    );
    if (!resp.succeeded) throw new KeyExistsError(key);
    return resp.header.revision;
  }

  async get(key: string, opts: CallScope = {}): Promise<GetResult | undefined> {
    const { kv } = await this.readRaw(key, opts);
    if (!kv) return undefined;
    return { obj: decodeObject(kv.value, kv.mod_revision), rv: kv.mod_revision };
  }

  /**
   * get() as reply bytes: the object's JSON with its resourceVersion (byte for byte
   * JSON.stringify(get().obj)), spliced into the stored value instead of parsed and
   * re-serialised (raw-json.ts).
   */
  async getRaw(key: string, opts: CallScope = {}): Promise<RawGetResult | undefined> {
    const { kv } = await this.readRaw(key, opts);
    if (!kv) return undefined;
    return { json: jsonWithResourceVersion(kv.value, kv.mod_revision), rv: kv.mod_revision };
  }

  /** list() with every item as reply bytes, as getRaw() gives them. */
  listRaw(prefix: string, opts: ListOptions = {}): Promise<RawListResult> {
    return listRangeRaw({ kv: this.kv }, prefix, opts, (err) => this.translate(err));
  }

  /** Lists every key under `prefix`, paginated with kube's continue tokens. */
  list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    return listRange({ kv: this.kv }, prefix, opts, (err) => this.translate(err));
  }

  /** The current etcd revision, read with a quorum (linearizable) read. */
  async currentRevision(opts: CallScope = {}): Promise<string> {
    const resp = await this.call(() =>
      this.kv.range(
        { key: Buffer.from('/registry/splitplane/revision'), count_only: true },
        callOptions(opts),
      ),
    );
    return resp.header.revision;
  }

  /**
   * kube's GuaranteedUpdate: read, tryUpdate, compare-and-swap on mod_revision; on a lost
   * race re-run tryUpdate against the fresh object. A no-op update writes nothing.
   */
  async guaranteedUpdate(
    key: string,
    tryUpdate: TryUpdate,
    opts: GuaranteedUpdateOptions = {},
  ): Promise<UpdateResult> {
    let state = await this.readRaw(key, opts);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const { kv } = state;
      if (!kv && !opts.ignoreNotFound) throw new KeyNotFoundError(key);
      const current = kv ? decodeObject(kv.value, kv.mod_revision) : undefined;
      const currentRv = kv?.mod_revision ?? '0';
      if (current) {
        const why = checkPreconditions(opts.preconditions, current, currentRv);
        if (why) throw new PreconditionError(key, why);
      }
      const next = await tryUpdate(current, currentRv);

      if (next === DELETE) {
        if (!kv || !current) throw new KeyNotFoundError(key);
        if (opts.dryRun) return { obj: current, created: false, deleted: true, changed: true };
        const resp = await this.casDelete(key, kv.mod_revision, opts);
        // kube answers a delete with the last state at the delete's own revision, the same
        // resourceVersion its DELETED watch event carries.
        if (resp.succeeded)
          return {
            obj: withResourceVersion(current, resp.header.revision),
            created: false,
            deleted: true,
            changed: true,
          };
        state = fromFailure(resp);
        continue;
      }

      const value = this.encode(key, next);
      if (kv && value.equals(kv.value)) {
        // kube skips no-op writes: same bytes, same resourceVersion.
        return {
          obj: withResourceVersion(next, kv.mod_revision),
          created: false,
          deleted: false,
          changed: false,
        };
      }
      if (opts.dryRun) {
        return {
          obj: withResourceVersion(next, kv?.mod_revision),
          created: !kv,
          deleted: false,
          changed: true,
        };
      }
      const k = Buffer.from(key);
      const resp = await this.txn(
        {
          compare: kv
            ? [{ key: k, target: 'Mod', result: 'Equal', mod_revision: kv.mod_revision }]
            : [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: k, value } }],
          failure: [{ request_range: { key: k } }],
        },
        opts,
      );
      if (resp.succeeded) {
        return {
          obj: withResourceVersion(next, resp.header.revision),
          created: !kv,
          deleted: false,
          changed: true,
        };
      }
      state = fromFailure(resp);
    }
    throw new ConflictError(key, 'too many concurrent updates; please try again');
  }

  /** Deletes `key` if its preconditions and validateDeletion hold; returns the object as it was. */
  async delete(key: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    let state = await this.readRaw(key, opts);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const { kv } = state;
      if (!kv) throw new KeyNotFoundError(key);
      const current = decodeObject(kv.value, kv.mod_revision);
      const why = checkPreconditions(opts.preconditions, current, kv.mod_revision);
      if (why) throw new PreconditionError(key, why);
      await opts.validateDeletion?.(current);
      if (opts.dryRun) return current;
      const resp = await this.casDelete(key, kv.mod_revision, opts);
      if (resp.succeeded) return withResourceVersion(current, resp.header.revision);
      state = fromFailure(resp);
    }
    throw new ConflictError(key, 'too many concurrent updates; please try again');
  }

  /** Cancel any watchers of the client first (etcd3's close() hangs with live watchers). */
  close(): void {
    this.client.close();
  }

  private encode(key: string, obj: KubeObject): Buffer {
    const value = encodeObject(obj);
    this.checkSize(key, value);
    return value;
  }

  private checkSize(key: string, value: Buffer): void {
    const size = value.length + Buffer.byteLength(key) + REQUEST_OVERHEAD_BYTES;
    if (size > this.maxRequestBytes)
      throw new EntityTooLargeError(value.length, this.maxRequestBytes);
  }

  private async readRaw(key: string, opts: CallScope): Promise<RawState> {
    const resp = await this.call(() => this.kv.range({ key: Buffer.from(key) }, callOptions(opts)));
    return { kv: resp.kvs[0], rv: resp.header.revision };
  }

  private casDelete(key: string, modRevision: string, opts: CallScope): Promise<ITxnResponse> {
    const k = Buffer.from(key);
    return this.txn(
      {
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
        success: [{ request_delete_range: { key: k } }],
        failure: [{ request_range: { key: k } }],
      },
      opts,
    );
  }

  private txn(req: Parameters<Etcd3['kv']['txn']>[0], opts: CallScope): Promise<ITxnResponse> {
    return this.call(() => this.kv.txn(req, callOptions(opts)));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** etcd failures with a Kubernetes meaning become typed errors; the rest pass through. */
  translate(err: unknown): unknown {
    const message = messageOf(err);
    if (message.includes(ETCD_TOO_LARGE) || message.includes(ETCD_GRPC_TOO_LARGE)) {
      return new EntityTooLargeError(-1, this.maxRequestBytes, { cause: err });
    }
    if (message.includes(ETCD_COMPACTED)) {
      return new CompactedError(
        'The resourceVersion for the provided list is too old.',
        undefined,
        undefined,
        { cause: err },
      );
    }
    return err;
  }
}

function callOptions(opts: CallScope): Partial<CallOptions> | undefined {
  return opts.deadline ? { deadline: opts.deadline } : undefined;
}

/** A failed CAS txn carries a fresh read of the key in its failure branch. */
function fromFailure(resp: ITxnResponse): RawState {
  const range = resp.responses[0]?.response_range;
  return { kv: range?.kvs[0], rv: resp.header.revision };
}
