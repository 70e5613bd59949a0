// Starting to listen on a configured address: a port taken, not allowed, or an address this host does not have is a
// ConfigError naming the settings to change (the CLI prints it as one line, exit 2); other errors pass through.
import type { Server } from 'node:net';
import { ConfigError } from './index.ts';

export function listenOn(server: Server, address: { host: string; port: number; what?: string; settings: string[] }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes(e.code ?? '') ? new ConfigError(`cannot listen${address.what ? ` ${address.what}` : ''} on ${address.host}:${address.port}: ${e.message}`, address.settings) : e));
    server.listen(address.port, address.host, () => resolve());
  });
}
