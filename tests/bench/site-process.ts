/**
 * Starts the built site (dist/src/server.js) as its own process, with its own data dir, devnet dir
 * and ports, as a person would with `npm start`, and stops it again. The bench talks to it over
 * HTTP only, and reads its resident memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface SiteProcess {
  url: string;
  pid: number;
  databaseUrl: string;
  devnetDir: string;
  pgDataDir: string;
  /** Resident set size in MB, read from /proc/<pid>/status. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** The flags `npm start` passes to node (e.g. the heap limit), read from package.json's start script. */
export function startScriptNodeFlags(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = pkg.scripts.start
    .split('&&')
    .map((c) => c.trim().replace(/^exec /, ''))
    .find((c) => c.startsWith('node '));
  if (!command) throw new Error('package.json start script does not run node');
  return command
    .split(/\s+/)
    .slice(1)
    .filter((t) => t.startsWith('--'));
}

export function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Resolves once the child printed `readyText`; rejects if it exits first or takes too long. */
export function waitForOutput(child: ChildProcess, readyText: string, timeoutMs: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready:\n${seen.slice(-2000)}`));
    });
  });
}

/**
 * Resolves once `file` holds `readyText` (a child writing its output straight to a file); rejects
 * if the child exits first or takes too long.
 */
export async function waitForFileText(
  child: ChildProcess,
  file: string,
  readyText: string,
  timeoutMs: number,
  name: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  const tail = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-2000) : '');
  for (;;) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(readyText)) return;
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${tail()}`);
    if (Date.now() > until) throw new Error(`${name} did not start within ${timeoutMs} ms:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function stopChild(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The devnet as its own process (`npm run devnet`), the way a deployment has its LND apart from the
 * site: the site's resident memory is then the site's alone. Resolves with the site node's address.
 */
async function startDevnetProcess(root: string, devnetDir: string): Promise<{ child: ChildProcess; grpcHost: string }> {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/devnet/cli.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DEVNET_DIR: devnetDir,
      DEVNET_SITE_PORT: '0',
      DEVNET_ALICE_PORT: '0',
      DEVNET_BOB_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const runtime = path.join(devnetDir, 'devnet.json');
  const until = Date.now() + 60_000;
  while (!fs.existsSync(runtime)) {
    if (child.exitCode !== null) throw new Error(`the devnet exited with code ${child.exitCode}`);
    if (Date.now() > until) throw new Error('the devnet did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  child.stdout?.resume();
  child.stderr?.resume();
  const info = JSON.parse(fs.readFileSync(runtime, 'utf8')) as { nodes: { site: { grpcHost: string } } };
  return { child, grpcHost: info.nodes.site.grpcHost };
}

export async function startSite(options: {
  root: string;
  workDir: string;
  port: number;
  pgPort: number;
  sessionSecret: string;
}): Promise<SiteProcess> {
  const dataDir = path.join(options.workDir, 'data');
  const devnetDir = path.join(options.workDir, 'devnet');
  // BENCH_DEVNET=inprocess measures the site with the devnet inside it, as `npm start` runs it.
  const separate = process.env.BENCH_DEVNET !== 'inprocess';
  const devnet = separate ? await startDevnetProcess(options.root, devnetDir) : null;
  const lnd = devnet
    ? {
        LND_GRPC_HOST: devnet.grpcHost,
        LND_TLS_CERT_PATH: path.join(devnetDir, 'site', 'tls.cert'),
        LND_MACAROON_PATH: path.join(devnetDir, 'site', 'admin.macaroon'),
      }
    : {};
  // Node's flags as `npm start` gives them (the heap limit), plus BENCH_SITE_NODE_ARGS, e.g.
  // "--cpu-prof --cpu-prof-dir=prof" to profile the site while it is measured.
  const nodeArgs = [...startScriptNodeFlags(options.root), ...(process.env.BENCH_SITE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const logPath = path.join(options.workDir, 'site.log');
  const logFd = fs.openSync(logPath, 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.join(options.root, 'dist/src/server.js')], {
    cwd: options.root,
    env: {
      ...process.env,
      // development: the devnet refuses production; VIEW_CACHE gives the view caching production has.
      NODE_ENV: 'development',
      VIEW_CACHE: 'true',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEVNET_DIR: devnetDir,
      DEVNET_SITE_PORT: '0',
      DEVNET_ALICE_PORT: '0',
      DEVNET_BOB_PORT: '0',
      EMBEDDED_PG_PORT: String(options.pgPort),
      SESSION_SECRET: options.sessionSecret,
      LOG_LEVEL: process.env.BENCH_SITE_LOG_LEVEL ?? 'info', // as in production: one line per request
      DATABASE_URL: '',
      ...lnd,
    },
    // Its output goes straight into a file, as with `npm start > site.log`: the bench process (which
    // also drives the load) never relays the site's log lines, so their cost is the site's alone.
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  await waitForFileText(child, logPath, 'is running at', 180_000, 'the site');
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${options.pgPort}/paywall`,
    devnetDir,
    pgDataDir: path.join(dataDir, 'postgres'),
    rssMb: () => rssMbOf(child.pid!),
    stop: async () => {
      await stopChild(child);
      if (devnet) await stopChild(devnet.child);
    },
  };
}
