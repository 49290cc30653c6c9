// Reads a request body up to --max-request-body-bytes; larger bodies get kube's 413 without
// being buffered in full.
import type { Request } from 'express';
import { newRequestEntityTooLarge } from '@splitplane/apimachinery';

export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Drain nothing: the connection will be closed after the 413 if the client keeps sending.
    req.resume();
    throw newRequestEntityTooLarge(`limit is ${limit}`);
  }
  if (req.readableEnded) return Buffer.alloc(0);
  if (req.destroyed) throw req.errored ?? prematureClose();
  // Plain 'data'/'end' listeners: an async iterator costs several promises per body.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(newRequestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // As the async iterator does: a request that closes before its end is an error.
    const onClose = () => {
      cleanup();
      reject(prematureClose());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function prematureClose(): Error {
  const err = new Error('Premature close') as Error & { code: string };
  err.code = 'ERR_STREAM_PREMATURE_CLOSE';
  return err;
}
