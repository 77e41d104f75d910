import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may never reach (SSRF): loopback, private, shared
 * (CGNAT), link-local (cloud metadata at 169.254.169.254 among them),
 * documentation, benchmarking, multicast and reserved ranges, and the IPv6
 * forms that lead back to IPv4 (mapped, NAT64) or stay local (ULA, fd00:ec2::254).
 */
const BLOCKED_V4 = new BlockList();
// Apart: a BlockList matches IPv4 addresses against its IPv6 rules for mapped addresses (::ffff:0:0/96).
const BLOCKED_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED_V4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED_V6.addSubnet(network, prefix, 'ipv6');
}

/** Why a target is refused; the delivery's status becomes `refused`. */
export class RefusedTargetError extends Error {
  readonly code = 'EWEBHOOKTARGET';
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? BLOCKED_V4.check(address, 'ipv4') : BLOCKED_V6.check(address, 'ipv6');
}

/** The URL's own checks, before any connection: `https` (or, when private targets are allowed, `http`), an allowed literal address. */
export function checkTargetUrl(url: URL, allowPrivate: boolean): void {
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new RefusedTargetError(`Only https targets are allowed (got ${url.protocol.slice(0, -1)})`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) !== 0 && isBlockedAddress(host)) {
    throw new RefusedTargetError(`The address ${host} is not a public one`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the connection: the name is resolved once, every address it
 * resolves to is checked, and the socket connects to what was checked (no
 * second resolution that a rebinding name could answer differently).
 */
export function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(
      hostname,
      { all: true, family: typeof options.family === 'number' ? options.family : 0 },
      (error, addresses) => {
        if (error) return callback(error, []);
        if (addresses.length === 0) return callback(new RefusedTargetError(`${hostname} has no address`), []);
        const blocked = allowPrivate ? undefined : addresses.find(({ address }) => isBlockedAddress(address));
        if (blocked)
          return callback(
            new RefusedTargetError(`${hostname} resolves to ${blocked.address}, not a public address`),
            [],
          );
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
    );
  };
}
