import fs from 'node:fs';
import path from 'node:path';
import { findUp } from './find-up';

/** The repository root (where package.json, views/, public/ and proto/ live), found by walking up from this file. */
export function repoRoot(): string {
  const root = findUp(__dirname, (dir) => fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'views')));
  if (!root) throw new Error('cannot find the repository root (package.json with views/) above ' + __dirname);
  return root;
}
