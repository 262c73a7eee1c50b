/**
 * `npm run lnurl-auth -- --from alice <lnurl>`: a devnet node acting as an LNURL-auth wallet
 * (LUD-04, keys per LUD-05). Its BIP-32 seed is the node's key file (a real wallet uses its own
 * seed), so each devnet node has one stable linking key per site. Calls the site back and prints
 * the site's LUD-04 answer; exits non-zero unless it is {"status":"OK"}.
 */
import { readJsonIfExists } from './atomic-file';
import { devnetDir, parseFromAndOne, runCli } from './cli-args';
import { signLnurlAuth } from './lnurl-auth-wallet';
import { nodePaths } from './node-store';
import type { NodeState } from './node-state';

const USAGE = 'usage: npm run lnurl-auth -- --from <alice|bob|site> <lnurl>';

/** LUD-01: https only, except .onion; the devnet also allows a site on this machine. */
function plainHttpAllowed(host: string): boolean {
  return host.endsWith('.onion') || host === 'localhost' || /^127\./.test(host) || host === '[::1]';
}

async function main(): Promise<number> {
  const { from, arg } = parseFromAndOne(process.argv.slice(2), USAGE);
  const dir = devnetDir();
  const state = readJsonIfExists<NodeState>(nodePaths(dir, from).stateFile);
  if (!state) {
    process.stderr.write(`No devnet found in ${dir}. Start it with \`npm run devnet\` (or \`npm start\`) first.\n`);
    return 2;
  }
  const signed = signLnurlAuth(Buffer.from(state.identityKey, 'hex'), arg);
  const url = new URL(signed.callbackUrl);
  if (url.protocol !== 'https:' && !plainHttpAllowed(url.hostname)) {
    process.stderr.write(`refusing ${url.protocol}// for ${url.hostname}: LNURL-auth needs https\n`);
    return 1;
  }
  process.stdout.write(`domain ${signed.domain}, linking key ${signed.linkingKey}\n`);
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const text = await res.text();
  process.stdout.write(`${text}\n`);
  try {
    return (JSON.parse(text) as { status?: string }).status === 'OK' ? 0 : 1;
  } catch {
    return 1;
  }
}

if (require.main === module) runCli(main);
