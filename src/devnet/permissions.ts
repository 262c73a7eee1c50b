/**
 * Macaroon permissions, as in LND: what each baked macaroon grants (lnd.go adminPermissions,
 * readPermissions, invoicePermissions) and what each RPC requires (rpcserver.go, sub-servers).
 */
import type { MacaroonOp } from './macaroon-id';

export interface Permission {
  entity: string;
  action: string;
}

const rw = (entity: string): MacaroonOp => ({ entity, actions: ['read', 'write'] });
const r = (entity: string): MacaroonOp => ({ entity, actions: ['read'] });

export const ADMIN_OPS: MacaroonOp[] = [
  rw('address'),
  rw('info'),
  rw('invoices'),
  { entity: 'macaroon', actions: ['generate', 'read', 'write'] },
  rw('message'),
  rw('offchain'),
  rw('onchain'),
  rw('peers'),
  { entity: 'signer', actions: ['generate', 'read'] },
];

export const READONLY_OPS: MacaroonOp[] = [
  'address',
  'info',
  'invoices',
  'macaroon',
  'message',
  'offchain',
  'onchain',
  'peers',
  'signer',
].map(r);

export const INVOICE_OPS: MacaroonOp[] = [rw('address'), rw('invoices'), r('onchain')];

const perm = (entity: string, action: string): Permission => ({ entity, action });

export const RPC_PERMISSIONS: Readonly<Record<string, Permission>> = {
  '/lnrpc.Lightning/GetInfo': perm('info', 'read'),
  '/lnrpc.Lightning/AddInvoice': perm('invoices', 'write'),
  '/lnrpc.Lightning/LookupInvoice': perm('invoices', 'read'),
  '/lnrpc.Lightning/ListInvoices': perm('invoices', 'read'),
  '/lnrpc.Lightning/SubscribeInvoices': perm('invoices', 'read'),
  '/lnrpc.Lightning/DecodePayReq': perm('offchain', 'read'),
  '/lnrpc.Lightning/WalletBalance': perm('onchain', 'read'),
  '/lnrpc.Lightning/ChannelBalance': perm('offchain', 'read'),
  '/lnrpc.Lightning/ListChannels': perm('offchain', 'read'),
  '/lnrpc.Lightning/CheckMacaroonPermissions': perm('macaroon', 'read'),
  '/lnrpc.Lightning/SignMessage': perm('message', 'write'),
  '/lnrpc.Lightning/VerifyMessage': perm('message', 'read'),
  '/invoicesrpc.Invoices/SubscribeSingleInvoice': perm('invoices', 'read'),
  '/invoicesrpc.Invoices/CancelInvoice': perm('invoices', 'write'),
  '/invoicesrpc.Invoices/LookupInvoiceV2': perm('invoices', 'write'),
  '/routerrpc.Router/SendPaymentV2': perm('offchain', 'write'),
  '/routerrpc.Router/TrackPaymentV2': perm('offchain', 'read'),
};
