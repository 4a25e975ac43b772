import { isIP } from 'node:net';
import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/**
 * What Fastify's `trustProxy` takes from TRUST_PROXY: `false` (believe no `X-Forwarded-For`), a
 * hop count (the last N addresses were added by our own proxies), or the proxies' addresses and
 * CIDRs (proxy-addr's names `loopback`, `linklocal` and `uniquelocal` included). `true` is never
 * offered: it would believe the left-most address, which any client can write.
 */
export type TrustProxy = false | string[] | TrustHops;

/** proxy-addr's form of a hop count (what Fastify builds from a number, which its types omit). */
export type TrustHops = (address: string, hop: number) => boolean;

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false' || value === '0') {
    return false;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}

/** One address, a CIDR (address/prefix within the family's bits) or a proxy-addr range name. */
export function isTrustedProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  const bits = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= bits;
}

@ValidatorConstraint({ name: 'trustProxy' })
export class TrustProxyRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') {
      return false;
    }
    if (/^\d+$/.test(value)) {
      return Number(value) <= MAX_HOPS;
    }
    return value === 'false' || value.split(',').every((e) => isTrustedProxyEntry(e.trim()));
  }

  defaultMessage(): string {
    return `TRUST_PROXY must be a hop count from 0 to ${MAX_HOPS}, false, or a comma list of proxy addresses or CIDRs such as 10.0.0.0/8,127.0.0.1`;
  }
}
