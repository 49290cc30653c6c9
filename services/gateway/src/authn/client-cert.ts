// Which CA bundle a connection's client certificate chains to. The TLS server trusts the
// union of --client-ca-file and --requestheader-client-ca-file (so OpenSSL checks the chain,
// validity and purpose, and sets socket.authorized); here we tell which of the bundles the
// verified chain ends in, since x509 and the front proxy trust different CAs.
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import { X509Certificate as CryptoX509 } from 'node:crypto';
import { AuthenticationError } from './types.js';

/** Splits a PEM bundle into certificates. */
export function parseCaBundle(pem: string | Buffer): CryptoX509[] {
  const text = pem.toString();
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new CryptoX509(b));
}

export type ChainCheck = { ok: true; leaf: CryptoX509 } | { ok: false; error: AuthenticationError };

/**
 * Verifies connections against one CA bundle, once per TLS connection: the client
 * certificate cannot change for a connection's life (renegotiation is disabled, see
 * server/gateway.ts).
 */
export class ClientCertVerifier {
  private readonly perSocket = new WeakMap<TLSSocket, ChainCheck | null>();

  constructor(private readonly roots: readonly CryptoX509[]) {}

  /** null when the connection presented no certificate. */
  check(socket: TLSSocket): ChainCheck | null {
    let result = this.perSocket.get(socket);
    if (result === undefined) {
      result = this.verify(socket);
      this.perSocket.set(socket, result);
    }
    return result;
  }

  private verify(socket: TLSSocket): ChainCheck | null {
    if (typeof socket.getPeerCertificate !== 'function') return null;
    const peer = socket.getPeerCertificate(true);
    if (!peer || !peer.raw) return null;
    const chain = chainOf(peer);
    if (!socket.authorized) {
      return {
        ok: false,
        error: new AuthenticationError(
          `x509: ${String(socket.authorizationError ?? 'certificate verification failed')}`,
        ),
      };
    }
    for (const cert of chain) {
      for (const root of this.roots) {
        if (
          cert.fingerprint256 === root.fingerprint256 ||
          (cert.checkIssued(root) && cert.verify(root.publicKey))
        ) {
          return { ok: true, leaf: chain[0]! };
        }
      }
    }
    return {
      ok: false,
      error: new AuthenticationError('x509: certificate signed by unknown authority'),
    };
  }
}

function chainOf(peer: PeerCertificate): CryptoX509[] {
  const out: CryptoX509[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = peer as DetailedPeerCertificate;
  while (cur && cur.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(new CryptoX509(cur.raw));
    cur = cur.issuerCertificate;
  }
  return out;
}

/** The subject's attributes by short name (CN, O, ...), repeated ones in order. */
export function subjectAttributes(cert: CryptoX509): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // node renders the subject one attribute a line: "O=system:masters\nCN=admin".
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const list = out.get(key) ?? [];
    list.push(line.slice(eq + 1));
    out.set(key, list);
  }
  return out;
}
