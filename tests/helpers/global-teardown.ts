import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__EMBEDDED_PG__ as { stop(): Promise<void> } | undefined;
  if (pg) await pg.stop();
  const dir = process.env.TEST_PG_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
