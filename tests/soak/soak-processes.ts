/**
 * The processes a soak run kills: the devnet (its own process, as a real LND is) and the built site.
 * Several loops share them, so starting is done once however many loops ask (`ensureSite`), and one
 * fault at a time (`fault`): a loop that finds the site down just retries until it is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../src/lib/paths';
import { startSiteProcess, type SiteDirs, type SiteProcess } from '../helpers/site-process';

interface Devnet {
  proc: ChildProcess;
  exited: Promise<void>;
}

export async function startDevnetProcess(dirs: SiteDirs, extraEnv: Record<string, string> = {}): Promise<Devnet> {
  const cli = path.join(repoRoot(), 'dist/src/devnet/cli.js');
  const proc = spawn(process.execPath, [cli], {
    env: { ...process.env, ...dirs.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Stop with Ctrl-C')) resolve();
    });
    void exited.then(() => reject(new Error('the devnet exited during start-up')));
  });
  return { proc, exited };
}

export interface Processes {
  ensureSite(): Promise<void>;
  killSite(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  killNode(): Promise<void>;
  /** Runs `fn` unless another fault is under way (then does nothing): faults never overlap. */
  fault(fn: () => Promise<void>): Promise<boolean>;
  /**
   * Wallet payments for views run inside `paying`: a node kill waits for them, so a reader's own
   * payment has a known outcome. The site's payments (withdrawals) are never waited for: killing
   * the node under them is the point.
   */
  paying<T>(fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
  /** The site's and the devnet's process ids now. */
  pids(): number[];
  readonly siteStarts: number;
  /** How long each restart of the site took, in ms. */
  readonly startMs: number[];
}

export async function startProcesses(server: string, dirs: SiteDirs, siteEnv: Record<string, string>): Promise<Processes> {
  let devnet = await startDevnetProcess(dirs);
  let site: SiteProcess | null = await startSiteProcess(server, dirs, siteEnv);
  let starting: Promise<void> | null = null;
  let faulting = false;
  let siteStarts = 1;
  const startMs: number[] = [];
  let payments = 0;
  let nodeDown: Promise<void> | null = null;
  let drained: (() => void) | null = null;

  const ensureSite = async () => {
    if (site) return;
    const t0 = Date.now();
    starting ??= startSiteProcess(server, dirs, siteEnv)
      .then((s) => {
        site = s;
        siteStarts += 1;
        startMs.push(Date.now() - t0);
        if (process.env.SOAK_VERBOSE)
          process.stdout.write(
            s.output
              .filter((l) => /"msg"/.test(l))
              .slice(0, 30)
              .join('\n') + '\n',
          );
      })
      .finally(() => (starting = null));
    await starting;
  };

  return {
    ensureSite,
    async killSite(signal) {
      if (starting) await starting.catch(() => undefined);
      const s = site;
      if (!s) return;
      site = null;
      s.proc.kill(signal);
      const exit = await s.exited;
      if (signal === 'SIGTERM' && exit.code !== 0) throw new Error(`the site's exit after SIGTERM: ${JSON.stringify(exit)}`);
    },
    async killNode() {
      let release!: () => void;
      nodeDown = new Promise<void>((r) => (release = r));
      if (payments > 0) await new Promise<void>((r) => (drained = r));
      devnet.proc.kill('SIGKILL');
      await devnet.exited;
      try {
        devnet = await startDevnetProcess(dirs);
      } finally {
        nodeDown = null;
        release();
      }
    },
    async fault(fn) {
      if (faulting) return false;
      faulting = true;
      try {
        await fn();
        return true;
      } finally {
        faulting = false;
      }
    },
    async paying(fn) {
      while (nodeDown) await nodeDown;
      payments += 1;
      try {
        return await fn();
      } finally {
        payments -= 1;
        if (payments === 0 && drained) {
          drained();
          drained = null;
        }
      }
    },
    async stop() {
      if (starting) await starting.catch(() => undefined);
      if (site) {
        site.proc.kill('SIGTERM');
        await site.exited;
        site = null;
      }
      devnet.proc.kill('SIGTERM');
      await devnet.exited;
    },
    pids: () => [site?.proc.pid, devnet.proc.pid].filter((p): p is number => p !== undefined),
    get siteStarts() {
      return siteStarts;
    },
    startMs,
  };
}
