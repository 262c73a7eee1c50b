import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository root (where package.json, views/, public/ and proto/ live), found by walking up
 * from this file: the code runs from src/ under Jest and from dist/src/ after tsc.
 */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (package.json with views/) above ' + __dirname);
    dir = parent;
  }
}
