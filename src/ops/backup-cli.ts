/**
 * npm run backup [-- FILE]      a dump of the site's database (default DATA_DIR/backups/paywall-<time>.dump)
 * npm run restore -- FILE        restores it into the site's database, which must be empty
 * npm run restore -- FILE --clean replaces what the site's database holds with the backup (stop the site first)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../config';
import { backupDatabase, restoreDatabase, describeDatabase, BackupError } from './backup';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const clean = args.includes('--clean');
  const [command, fileArg] = args.filter((a) => a !== '--clean');
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
        process.stderr.write(
          `${fileArg ? `${fileArg} was not found. ` : ''}usage: npm run restore -- FILE [--clean] (FILE written by npm run backup; --clean replaces a database that is not empty)\n`,
        );
        return 1;
      }
      await restoreDatabase({ url, file: path.resolve(fileArg), binDir, clean });
      process.stdout.write(`restored ${fileArg} into ${describeDatabase(url)}\n`);
      return 0;
    }
    process.stderr.write('usage: backup-cli backup [FILE] | restore FILE [--clean]\n');
    return 1;
  } catch (err) {
    process.stderr.write(`${err instanceof BackupError ? err.message : (err as Error).stack}\n`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
