/**
 * A PostgreSQL of a test's own, in a child process (tests/helpers/pg-child.mjs), that the test
 * can stop and start again on the same data directory and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export interface PgProcess {
  url: string;
  running(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPgProcess(): Promise<PgProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-process-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const script = path.join(__dirname, 'pg-child.mjs');
  const pg: PgProcess = {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    running: () => child !== null,
    async start() {
      if (child) return;
      const c = spawn(process.execPath, [script, dir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        c.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        });
        c.once('exit', (code) => reject(new Error(`PostgreSQL child exited with ${code}`)));
      });
      child = c;
    },
    async stop() {
      const c = child;
      if (!c) return;
      child = null;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
    },
    async destroy() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}
