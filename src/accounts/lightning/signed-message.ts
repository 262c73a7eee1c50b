/**
 * The one-time messages a reader signs with their node (`lncli signmessage`). Each names the site
 * and what it is for, carries a random nonce and its expiry, and lives in the reader's session:
 * a signature over it proves "the owner of this node key, in this browser, just now". Messages use
 * only characters that are safe inside double quotes in a shell.
 */
import crypto from 'node:crypto';
import type { MessageVerifier } from '../../lightning/message-verifier';
import { LightningError, LightningUnavailableError } from '../../lightning/types';
import type { SessionMessage } from './session-state';

export const MESSAGE_TTL_MS = 10 * 60 * 1000;
/** A message with less time than this left is replaced before it is shown. */
const MIN_LEFT_MS = 2 * 60 * 1000;

/** What `lncli signmessage` prints: z-base-32 of 65 bytes, always 104 characters. */
const ZBASE32_SIGNATURE = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{104}$/;

export function isZbase32Signature(text: string): boolean {
  return ZBASE32_SIGNATURE.test(text);
}

/** What a reader is told about the message they signed, on the login page and the account page alike. */
export const MESSAGE_PROBLEMS = {
  expired: 'That message has expired. Sign the new message below.',
  notASignature: 'That is not a signature from lncli signmessage: it is 104 characters of letters and digits.',
  used: 'That message was already used. Sign the new message below.',
} as const;

/**
 * The key the site's node recovers from `signature` over `message`: null when it recovers none or
 * refuses the signature, 'node-down' when the node cannot be asked (the signature was not judged).
 */
export async function signerOf(verifier: MessageVerifier, message: string, signature: string): Promise<string | null | 'node-down'> {
  try {
    return await verifier.recoverSigner(message, signature);
  } catch (err) {
    if (err instanceof LightningUnavailableError) return 'node-down';
    if (err instanceof LightningError) return null;
    throw err;
  }
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** The session's current message for `purpose`, or a fresh one (the caller's session keeps it). */
export function freshMessage(existing: SessionMessage | undefined, purpose: 'login' | 'link', host: string, now: number): SessionMessage {
  if (existing && existing.expiresAt - now > MIN_LEFT_MS) return existing;
  const nonce = crypto.randomBytes(16).toString('hex');
  const expiresAt = now + MESSAGE_TTL_MS;
  const what = purpose === 'login' ? `Log in to ${host}` : `Link this node to my account on ${host}`;
  return { message: `${what} with code ${nonce}, valid until ${hhmm(expiresAt)} UTC`, nonce, expiresAt };
}

export function signCommand(message: string): string {
  return `lncli signmessage "${message}"`;
}
