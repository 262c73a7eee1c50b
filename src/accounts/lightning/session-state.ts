/**
 * What the Lightning logins keep in the reader's session: the one-time messages shown to sign
 * (the session is what binds a message to this browser), the LNURL-auth challenge this browser
 * waits on, and a key proven but not yet given an account (the first login asks for a username).
 */
export type KeyKind = 'node' | 'lnurl';

export interface SessionMessage {
  message: string;
  nonce: string;
  /** ms since the epoch */
  expiresAt: number;
}

declare module 'express-session' {
  interface SessionData {
    nodeLoginMessage?: SessionMessage;
    nodeLinkMessage?: SessionMessage;
    lnurlChallenge?: { id: number; purpose: 'login' | 'link'; next: string };
    pendingLightningKey?: { pubkey: string; kind: KeyKind; next: string; expiresAt: number };
  }
}
