import { createServer, type Server } from 'node:net';

function listenOnZero(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. There is an unavoidable race with
 * other processes between our close and the child's bind; the kernel hands out ephemeral
 * ports round-robin, so a just-released one is rarely reused that quickly.
 */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `n` distinct free ports: all listeners are held open together so none repeats. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) servers.push(await listenOnZero());
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}
