/**
 * TRUST_PROXY as Express expects it: a hop count must be a number and
 * true/false booleans (Express reads any string as a list of addresses, so
 * "1" would not mean one hop). Empty: trust no proxy, the client IP is the
 * socket's, and X-Forwarded-For is ignored.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}
