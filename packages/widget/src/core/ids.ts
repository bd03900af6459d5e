// 64 symbols, so one random byte maps to one symbol with no modulo bias (byte & 63 is uniform).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/**
 * A random client id matching `CLIENT_ID_PATTERN` (22 symbols ≈ 132 bits), made on the device so a retried
 * send is stored once by the server.
 *
 * @example
 * const id = createClientId(); // "q3V0_hJd-0kS9aXcQm1bZw"
 */
export function createClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 63];
  return s;
}
