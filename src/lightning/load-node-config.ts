import fs from 'node:fs';
import { parseLndconnect } from './lndconnect';

/** Where the site's LND settings come from: one lndconnect URI, or a host plus two file paths. */
export type NodeSettings = { connectUri: string } | { grpcHost: string; tlsCertPath: string; macaroonPath: string };

/** What createLndClient needs to reach the node (minus the logger). */
export interface NodeConnection {
  /** host:port */
  host: string;
  /** PEM of the node's TLS certificate, or null to trust the system's CA roots. */
  tlsCert: Buffer | null;
  /** The raw binary macaroon. */
  macaroon: Buffer;
}

/** A bad Lightning setting; `setting` is the environment variable to fix. */
export class NodeConfigError extends Error {
  override readonly name = 'NodeConfigError';
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}

/** The environment variable behind each setting, so errors name what the operator has to change. */
export const NODE_SETTING_NAMES = {
  connectUri: 'LND_CONNECT',
  grpcHost: 'LND_GRPC_HOST',
  tlsCertPath: 'LND_TLS_CERT_PATH',
  macaroonPath: 'LND_MACAROON_PATH',
} as const;

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-_]+):\d{1,5}$/;

function readSettingFile(setting: string, filePath: string): Buffer {
  if (filePath.trim() === '') throw new NodeConfigError(setting, 'is empty');
  try {
    return fs.readFileSync(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NodeConfigError(setting, `file not found: ${filePath}`);
    if (code === 'EACCES') throw new NodeConfigError(setting, `permission denied: ${filePath}`);
    if (code === 'EISDIR') throw new NodeConfigError(setting, `is a directory, not a file: ${filePath}`);
    throw new NodeConfigError(setting, `cannot read ${filePath}: ${(err as Error).message}`);
  }
}

/**
 * LND writes macaroons as binary files; some tools store them as hex text instead. Accept both,
 * since LND's own clients send hex of the binary either way.
 */
function macaroonBytes(fileBytes: Buffer): Buffer {
  const text = fileBytes.toString('latin1').trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) return Buffer.from(text, 'hex');
  return fileBytes;
}

/**
 * Resolves the settings to connection options, reading the cert and macaroon files.
 * Throws NodeConfigError naming the bad setting (e.g. "LND_TLS_CERT_PATH: file not found: ...").
 */
export function loadNodeConfig(settings: NodeSettings): NodeConnection {
  if ('connectUri' in settings) {
    try {
      return parseLndconnect(settings.connectUri);
    } catch (err) {
      throw new NodeConfigError(NODE_SETTING_NAMES.connectUri, (err as Error).message);
    }
  }
  const host = settings.grpcHost.trim();
  if (!HOST_PORT.test(host)) {
    throw new NodeConfigError(NODE_SETTING_NAMES.grpcHost, `expected host:port (e.g. 127.0.0.1:10009), got "${host}"`);
  }
  const tlsCert = readSettingFile(NODE_SETTING_NAMES.tlsCertPath, settings.tlsCertPath);
  if (!tlsCert.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
    throw new NodeConfigError(NODE_SETTING_NAMES.tlsCertPath, `not a PEM certificate (expected LND's tls.cert): ${settings.tlsCertPath}`);
  }
  const macaroonFile = readSettingFile(NODE_SETTING_NAMES.macaroonPath, settings.macaroonPath);
  const macaroon = macaroonBytes(macaroonFile);
  if (macaroon.length === 0) {
    throw new NodeConfigError(NODE_SETTING_NAMES.macaroonPath, `file is empty: ${settings.macaroonPath}`);
  }
  return { host, tlsCert, macaroon };
}
