import { NODE_NAMES, type DevnetNodeName } from './node-state';

/** `--from <node>` (default alice) and exactly one positional argument, for the devnet's small CLIs. */
export function parseFromAndOne(argv: string[], usage: string): { from: DevnetNodeName; arg: string } {
  let from = 'alice';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') from = argv[++i] ?? '';
    else if (argv[i].startsWith('--from=')) from = argv[i].slice('--from='.length);
    else rest.push(argv[i]);
  }
  if (!NODE_NAMES.includes(from as DevnetNodeName)) throw new Error(`unknown node "${from}"\n${usage}`);
  if (rest.length !== 1) throw new Error(usage);
  return { from: from as DevnetNodeName, arg: rest[0] };
}
