/**
 * `<dir>/devnet.json`: written while a devnet runs so `npm run pay` can find the nodes' ports
 * (which may be random); removed on a clean stop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import type { DevnetNodeName } from './node-state';

export const RUNTIME_FILE = 'devnet.json';

export interface DevnetRuntimeInfo {
  pid: number;
  nodes: Record<DevnetNodeName, { grpcHost: string; identityPubkey: string }>;
}

export function writeRuntimeFile(dir: string, info: DevnetRuntimeInfo): void {
  writeFileAtomic(path.join(dir, RUNTIME_FILE), JSON.stringify(info, null, 2), 0o644);
}

export function removeRuntimeFile(dir: string): void {
  fs.rmSync(path.join(dir, RUNTIME_FILE), { force: true });
}
