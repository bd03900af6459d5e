// Identity verification of a host's signed-in customers. The host's server computes
// `hash = hex(HMAC-SHA256(identitySecret, userId))` and hands `{ id, hash }` to the widget; `POST /sessions`
// accepts the id only when the hash is the HMAC under one of the listed keys. A plain HMAC of the id (no
// prefix) so a host can compute it in any language with one library call.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { USER_ID_PATTERN } from '@temper/protocol';
import { toKeyring, type SecretEntry } from './token.js';
/**
 * A key of a rotation list: `kid` names it (1–16 of `[A-Za-z0-9_-]`, unique; for your records, it is not part
 * of the hash), `key` is the HMAC key (a string, UTF-8, or bytes; at least 32 bytes). The same `{ kid, key }`
 * shape (and the same checks) as the rotation list of `secret`.
 */
export type KeyedSecret = SecretEntry;

/**
 * The identity secret: one key, or a list of keys for rotation. Any listed key verifies a hash; hosts sign
 * with the first (see `createIdentityHash`).
 *
 * @example
 * createTemperServer({ secret, identitySecret: [{ kid: '2026-12', key: newKey }, { kid: '2026-06', key: oldKey }] });
 */
export type IdentitySecret = string | Uint8Array | readonly KeyedSecret[];

/** Key bytes of a verified identity-secret list, in the order given. */
export type IdentityKeys = readonly { kid: string; key: Buffer }[];

const USER_ID = new RegExp(`^(?:${USER_ID_PATTERN})$`);

/**
 * Turns the `identitySecret` option into key bytes with the checks of every other key list (`toKeyring`: short
 * keys, an empty list, bad or duplicate kids), plus one of its own: no key may equal a session-token key (one
 * secret, one purpose).
 */
export function toIdentityKeys(option: IdentitySecret, sessionKeys: readonly Buffer[], who = 'createTemperServer'): IdentityKeys {
  const ring = toKeyring(option, `${who}: \`identitySecret\``);
  return [...ring.verify].map(([kid, key]) => {
    const name = kid || 'default';
    if (sessionKeys.some((k) => key.equals(k))) throw new RangeError(`${who}: identity secret ${JSON.stringify(name)} must differ from \`secret\``);
    return { kid: name, key };
  });
}

const hmac = (key: Buffer, userId: string) => createHmac('sha256', key).update(userId, 'utf8').digest();

/**
 * The `kid` of the key under which `hash` is the HMAC of `userId`, or `null`. Every key is compared (in
 * constant time per key), so the time taken does not tell which key matched or how much of a hash was right.
 */
export function verifyIdentity(keys: IdentityKeys, userId: string, hash: string): string | null {
  if (!USER_ID.test(userId) || !/^[0-9a-f]{64}$/.test(hash)) return null;
  const given = Buffer.from(hash, 'hex');
  let match: string | null = null;
  for (const { kid, key } of keys) if (timingSafeEqual(hmac(key, userId), given) && match === null) match = kid;
  return match;
}

/**
 * The identity hash of a signed-in customer: lowercase hex HMAC-SHA256 of `userId` under `secret` (the first
 * key of a rotation list). Run it on your server and pass `{ id: userId, hash }` to the widget's `user` option;
 * never send the secret to the browser. `userId` must be your opaque id of the customer (1–128 characters of
 * A–Z a–z 0–9 _ . : | -), not an email.
 *
 * @example
 * const user = { id: 'cust-1042', hash: createIdentityHash(process.env.TEMPER_IDENTITY_SECRET!, 'cust-1042') };
 * // in the page: Temper('boot', { user })
 */
export function createIdentityHash(secret: IdentitySecret, userId: string): string {
  if (typeof userId !== 'string' || !USER_ID.test(userId))
    throw new RangeError('createIdentityHash: userId must be 1–128 characters of A–Z a–z 0–9 _ . : | - (an opaque id, not an email)');
  const [first] = toIdentityKeys(secret, [], 'createIdentityHash');
  return hmac(first!.key, userId).toString('hex');
}
