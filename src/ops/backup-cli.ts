/**
 * npm run backup [-- FILE]      a dump of the site's database (default DATA_DIR/backups/paywall-<time>.dump)
 * npm run restore -- FILE        restores it into the site's database (stop the site first)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../config';
import { backupDatabase, restoreDatabase, BackupError } from './backup';

async function main(): Promise<number> {
  const [command, fileArg] = process.argv.slice(2);
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    return 1;
  }
  const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/paywall`;
  const binDir = process.env.PG_BIN_DIR || undefined;
  try {
    if (command === 'backup') {
      const file = fileArg
        ? path.resolve(fileArg)
        : path.join(config.dataDir, 'backups', `paywall-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await backupDatabase({ url, file, binDir });
      process.stdout.write(`backup written to ${file}\n`);
      return 0;
    }
    if (command === 'restore') {
      if (!fileArg || !fs.existsSync(fileArg)) {
        process.stderr.write('usage: npm run restore -- FILE (a file written by npm run backup)\n');
        return 1;
      }
      await restoreDatabase({ url, file: path.resolve(fileArg), binDir });
      process.stdout.write(`restored ${fileArg}\n`);
      return 0;
    }
    process.stderr.write('usage: backup-cli backup [FILE] | restore FILE\n');
    return 1;
  } catch (err) {
    process.stderr.write(`${err instanceof BackupError ? err.message : (err as Error).stack}\n`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
