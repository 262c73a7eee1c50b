/**
 * LND behaviours a node of the devnet can be given, so that the site's handling of them is tested
 * over real gRPC (options of `startDevnet`, of `npm run devnet` and of the test helpers):
 *
 * - gcCanceledInvoices: LND's `gc-canceled-invoices-on-the-fly=true`: canceled and expired invoices
 *   are deleted, so LookupInvoice answers NOT_FOUND "unable to locate invoice".
 * - clockOffsetMs: the node's clock runs this far ahead (or behind) of the machine's: creation and
 *   settle dates and the expiry watcher all use it.
 * - rpcState: 'locked' (wallet locked) or 'starting' (RPC server starting up): every call but none
 *   is refused with LND's exact code and text, before the macaroon is looked at (LND checks the RPC
 *   state first). `startState` starts the node in that state, optionally for a while.
 * - refused.macaroon (always written): a macaroon LND would refuse, and invoice.macaroon lacks
 *   info:read, so GetInfo with it is "permission denied".
 * - resetInvoices: at start, the node keeps its identity key but its invoice database is empty and
 *   its add and settle indexes start again from zero (a node restored from seed).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { unknownError } from './grpc-errors';
import { mintMacaroon } from './macaroons';
import { ADMIN_OPS } from './permissions';
import type { NodeState } from './node-state';
import type { InvoiceRegistry } from './invoice-registry';

export type RpcState = 'active' | 'locked' | 'starting';

/** LND's texts (rpcperms/interceptor.go), sent as code 2 UNKNOWN. */
export const RPC_STATE_TEXT: Readonly<Record<Exclude<RpcState, 'active'>, string>> = {
  locked: 'wallet locked, unlock it to enable full RPC access',
  starting: 'the RPC server is in the process of starting up, but not yet ready to accept calls',
};

export interface NodeBehaviourOptions {
  gcCanceledInvoices?: boolean;
  clockOffsetMs?: number;
  /** The state the node starts in, and for how long (ms; until changed through its control when omitted). */
  startState?: { state: Exclude<RpcState, 'active'>; forMs?: number };
  resetInvoices?: boolean;
}

/** A node's behaviour while it runs; tests change it through `Devnet.control`. */
export interface NodeBehaviour {
  gcCanceledInvoices: boolean;
  clockOffsetMs: number;
  rpcState: RpcState;
}

export interface NodeControl {
  setRpcState(state: RpcState): void;
  setGcCanceledInvoices(on: boolean): void;
  behaviour(): Readonly<NodeBehaviour>;
  /**
   * Settles an OPEN invoice with one HTLC of `amtMsat`, whatever it asked, as a node reports an
   * invoice settled for less than its value (a hold invoice settled by hand, a foreign
   * implementation): for testing what the site does with an underpaid settlement.
   */
  settleFor(paymentHashHex: string, amtMsat: bigint): void;
}

export function createNodeBehaviour(
  options: NodeBehaviourOptions = {},
  registry: () => InvoiceRegistry | undefined = () => undefined,
  persist: () => void = () => undefined,
): { behaviour: NodeBehaviour; control: NodeControl; stop(): void } {
  const behaviour: NodeBehaviour = {
    gcCanceledInvoices: options.gcCanceledInvoices ?? false,
    clockOffsetMs: options.clockOffsetMs ?? 0,
    rpcState: options.startState?.state ?? 'active',
  };
  let timer: NodeJS.Timeout | undefined;
  if (options.startState?.forMs !== undefined) {
    timer = setTimeout(() => (behaviour.rpcState = 'active'), options.startState.forMs);
    timer.unref();
  }
  return {
    behaviour,
    control: {
      setRpcState(state) {
        clearTimeout(timer);
        behaviour.rpcState = state;
      },
      setGcCanceledInvoices(on) {
        behaviour.gcCanceledInvoices = on;
      },
      behaviour: () => ({ ...behaviour }),
      settleFor(hash, amtMsat) {
        const reg = registry();
        const invoice = reg?.findByHash(hash);
        if (!reg || !invoice || invoice.state !== 'OPEN') throw new Error(`no open invoice ${hash} on this node`);
        reg.markSettled(invoice, {
          chanId: '0',
          amtMsat: amtMsat.toString(),
          acceptHeight: 0,
          acceptTime: Math.floor(reg.now() / 1000),
          expiryHeight: 0,
          mppTotalAmtMsat: amtMsat.toString(),
        });
        persist(); // persisted before it is announced, as the payment network does
        reg.announce(invoice, 'settled');
      },
    },
    stop: () => clearTimeout(timer),
  };
}

/** Throws LND's answer when the node cannot serve calls yet (checked before the macaroon, as LND does). */
export function checkRpcState(behaviour: NodeBehaviour | undefined): void {
  if (!behaviour || behaviour.rpcState === 'active') return;
  throw unknownError(RPC_STATE_TEXT[behaviour.rpcState]);
}

/** A node restored from seed: same identity key, an empty invoice database, indexes from zero. */
export function resetInvoiceDatabase(state: NodeState): void {
  state.invoices = [];
  state.lastSettleIndex = 0;
  state.lastAddIndex = 0;
}

/** The behaviour options of `npm run devnet` for the site node, from the environment. */
export function behaviourFromEnv(env: NodeJS.ProcessEnv): NodeBehaviourOptions {
  const seconds = (key: string): number | undefined => {
    const raw = env[key];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${key} must be a number of seconds, got "${raw}"`);
    return n;
  };
  const flag = (key: string) => /^(1|true|yes)$/i.test(env[key] ?? '');
  const lockedFor = seconds('DEVNET_LOCKED_SECONDS');
  const startingFor = seconds('DEVNET_STARTING_SECONDS');
  const offset = seconds('DEVNET_CLOCK_OFFSET_SECONDS');
  return {
    gcCanceledInvoices: flag('DEVNET_GC_CANCELED_INVOICES'),
    clockOffsetMs: offset === undefined ? 0 : offset * 1000,
    resetInvoices: flag('DEVNET_RESET_INVOICES'),
    startState:
      lockedFor !== undefined
        ? { state: 'locked', forMs: lockedFor > 0 ? lockedFor * 1000 : undefined }
        : startingFor !== undefined
          ? { state: 'starting', forMs: startingFor > 0 ? startingFor * 1000 : undefined }
          : undefined,
  };
}

/**
 * A macaroon LND refuses: the admin permissions, but signed with a root key this node never had
 * (as a macaroon of another node is). LND answers "verification failed: signature mismatch after
 * caveat verification". Written once, next to admin.macaroon, as refused.macaroon.
 */
export function ensureRefusedMacaroon(adminMacaroonPath: string): string {
  const file = path.join(path.dirname(adminMacaroonPath), 'refused.macaroon');
  if (!fs.existsSync(file)) writeFileAtomic(file, mintMacaroon(randomBytes(32), ADMIN_OPS), 0o600);
  return file;
}
