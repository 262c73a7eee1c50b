/**
 * The real site as a child process, built by tsc the way `npm start` builds it, with its own data
 * directory, devnet directory and ports, so a test can SIGKILL or SIGTERM it and start it again on
 * the same state. Everything binds 127.0.0.1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../../src/lib/paths';
import { freePort } from './free-port';

/** Built apart from dist/ so a test never overwrites what a developer is running. */
export const BUILD_DIR = 'dist/test-build';

export function buildSite(): string {
  const root = repoRoot();
  // Type errors are the type check's business (npm test runs it first); tsc still emits.
  try {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
      { cwd: root, stdio: 'pipe' },
    );
  } catch {
    // emitted anyway; a missing server.js below is the real failure
  }
  const server = path.join(root, BUILD_DIR, 'src/server.js');
  if (!fs.existsSync(server)) throw new Error('the site did not build');
  return server;
}

export interface SiteDirs {
  root: string;
  dataDir: string;
  devnetDir: string;
  env: Record<string, string>;
  baseUrl: string;
  pgPort: number;
}

export async function siteDirs(): Promise<SiteDirs> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'site-process-'));
  // PostgreSQL runs as its own user (we may be root), which must be able to reach its data directory.
  fs.chmodSync(root, 0o755);
  const [port, pgPort, site, alice, bob] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = path.join(root, 'data');
  const devnetDir = path.join(root, 'devnet');
  return {
    root,
    dataDir,
    devnetDir,
    pgPort,
    baseUrl: `http://127.0.0.1:${port}`,
    env: {
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DEVNET_DIR: devnetDir,
      EMBEDDED_PG_PORT: String(pgPort),
      DEVNET_SITE_PORT: String(site),
      DEVNET_ALICE_PORT: String(alice),
      DEVNET_BOB_PORT: String(bob),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
    },
  };
}

export interface SiteProcess {
  proc: ChildProcess;
  /** Every line the process wrote to stdout and stderr. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built site and resolves once every worker listens and /readyz says database, node and watcher are fine. */
export async function startSiteProcess(server: string, dirs: SiteDirs, extraEnv: Record<string, string> = {}): Promise<SiteProcess> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...dirs.env, ...extraEnv };
  const proc = spawn(process.execPath, [server], { cwd: dirs.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // One partial line per stream: a chunk of stderr must not be glued to half a line of stdout.
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    };
  };
  proc.stdout!.on('data', collector());
  proc.stderr!.on('data', collector());
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + 150_000;
  for (;;) {
    if (gone) throw new Error(`the site exited during start-up:\n${output.slice(-20).join('\n')}`);
    try {
      // The banner is printed once every worker listens; /readyz answers as soon as one does.
      const res = await fetch(`${dirs.baseUrl}/readyz`);
      if (res.status === 200 && output.some((l) => l.includes(' is running at '))) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`the site did not become ready:\n${output.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, output, exited };
}

/** The pids of the PostgreSQL server on a data directory: the postmaster and its children. */
export function postgresPids(dataDir: string): number[] {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return [];
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One query on the site's embedded PostgreSQL, on a connection of its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function querySite<T = Record<string, any>>(dirs: SiteDirs, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dirs.pgPort}/paywall` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** After a test: SIGKILL every site process still running and its PostgreSQL, then remove the directories. */
export function discardSites(running: SiteProcess[], dirs: (SiteDirs | undefined)[]): void {
  for (const p of running) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
  for (const d of dirs) {
    if (!d) continue;
    for (const pid of postgresPids(d.dataDir)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(d.root, { recursive: true, force: true });
  }
}
