/**
 * TRUST_PROXY as Express understands it. Express reads a string as a list of
 * addresses, so "1" would trust a proxy at address 1, not one hop: a hop
 * count must be passed as a number, and true/false as booleans.
 */
export function parseTrustProxy(value: string): boolean | number | string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed; // addresses, subnets or names such as loopback, uniquelocal
}
