import fs from 'node:fs';
import net from 'node:net';

/**
 * Where the OS hands out ports on its own (listen on port 0, the local end of every outgoing
 * connection): a port picked from this range and handed to a child process can be taken by another
 * test's connection before the child binds it (a CI run failed on EADDRINUSE so).
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: the IANA dynamic range
  }
  return [49152, 65535];
}

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, chosen at random below the OS's ephemeral
 * range (or above it, where that is the larger room), so nothing the OS does by itself takes it
 * before the process it is meant for binds it.
 */
export async function freePort(): Promise<number> {
  const [low, high] = ephemeralRange();
  const [from, to] = low - 1024 >= 65535 - high ? [1024, low - 1] : [high + 1, 65535];
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port found between ${from} and ${to}`);
}
