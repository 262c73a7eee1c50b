import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds the repository's `proto/` directory by walking up from `startDir` until `proto/lightning.proto`
 * exists. The code runs both from `src/lightning/` (ts-jest) and from `dist/src/lightning/` (after tsc),
 * so a fixed relative path would be wrong in one of the two.
 */
export function findProtoDir(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, 'proto');
    if (fs.existsSync(path.join(candidate, 'lightning.proto'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`proto/lightning.proto not found in ${startDir} or any parent directory`);
    dir = parent;
  }
}
