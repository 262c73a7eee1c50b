import fs from 'node:fs';
import path from 'node:path';
import { findUp } from '../lib/find-up';

/** The repository's `proto/` directory: the first one from `startDir` upwards holding `lightning.proto`. */
export function findProtoDir(startDir: string = __dirname): string {
  const dir = findUp(startDir, (d) => fs.existsSync(path.join(d, 'proto', 'lightning.proto')));
  if (!dir) throw new Error(`proto/lightning.proto not found in ${startDir} or any parent directory`);
  return path.join(dir, 'proto');
}
