import path from 'node:path';

/**
 * The first directory from `startDir` upwards for which `found(dir)` is true, or null at the file
 * system's root. The code runs from src/ (ts-jest) and from dist/src/ (after tsc), so files of the
 * repository (views/, proto/) are found by walking up, never by a fixed relative path.
 */
export function findUp(startDir: string, found: (dir: string) => boolean): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    if (found(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
