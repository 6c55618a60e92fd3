// Which network addresses Turnout may fetch from. Everything that is not a plain public unicast address is
// refused by default (SSRF): loopback, private ranges, link-local, and "special" (unspecified, multicast,
// reserved, documentation, benchmarking, protocol-assignment blocks). Addresses embedded in IPv6 forms that
// carry an IPv4 address (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by the
// embedded IPv4 address. Anything that cannot be parsed is 'special', so that it is refused.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'special';

/**
 * The IPv4 literal forms that inet_aton accepts, normalised to dotted quad: one to four parts, each decimal,
 * octal (leading 0) or hex (leading 0x); the last part fills the remaining bytes ("127.1" is 127.0.0.1,
 * "2130706433" is 127.0.0.1). A single trailing dot is accepted (as in a fully qualified name). Null when
 * the string is not an IPv4 literal or a part is out of range.
 */
export function parseIpv4Loose(host: string): string | null {
  let s = host.trim();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s === '') return null;
  const parts = s.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let v: number;
    if (/^0x[0-9a-f]*$/i.test(part)) v = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) v = part.length === 1 ? 0 : parseInt(part.slice(1), 8);
    else if (/^[1-9][0-9]*$/.test(part)) v = parseInt(part, 10);
    else return null;
    if (!Number.isSafeInteger(v)) return null;
    values.push(v);
  }
  const last = values.pop()!;
  for (const v of values) if (v > 255) return null;
  const lastBytes = 4 - values.length;
  if (last >= 2 ** (8 * lastBytes)) return null;
  let n = last;
  values.forEach((v, i) => (n += v * 2 ** (8 * (3 - i))));
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipv4Octets(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

function classifyIpv4([a, b, c]: number[]): AddressClass {
  if (a === 0) return 'special'; // 0.0.0.0/8 "this network"
  if (a === 127) return 'loopback';
  if (a === 10) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // 100.64.0.0/10 carrier-grade NAT
  if (a === 169 && b === 254) return 'link-local'; // includes cloud metadata 169.254.169.254
  if (a === 192 && b === 0 && c === 0) return 'special'; // 192.0.0.0/24 IETF protocol assignments
  if (a === 192 && b === 0 && c === 2) return 'special'; // TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return 'special'; // 6to4 relay anycast (deprecated)
  if (a === 198 && (b === 18 || b === 19)) return 'special'; // 198.18.0.0/15 benchmarking
  if (a === 198 && b === 51 && c === 100) return 'special'; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return 'special'; // TEST-NET-3
  if (a >= 224) return 'special'; // 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast
  return 'public';
}

/** Eight 16-bit groups, or null. Accepts a dotted IPv4 tail and ignores a zone id ("fe80::1%eth0"). */
function ipv6Groups(input: string): number[] | null {
  let s = input;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    // A dotted IPv4 tail ("::ffff:127.0.0.1") stands for the last two groups.
    const o = ipv4Octets(tail);
    if (!o) return null;
    s = s.slice(0, lastColon + 1) + ((o[0] << 8) | o[1]).toString(16) + ':' + ((o[2] << 8) | o[3]).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  let groups: number[];
  if (halves.length === 2) {
    const head = parse(halves[0]);
    const rest = parse(halves[1]);
    groups = [...head, ...new Array(Math.max(0, 8 - head.length - rest.length)).fill(0), ...rest];
  } else {
    groups = parse(halves[0]);
  }
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  return groups;
}

function embeddedV4(hi: number, lo: number): number[] {
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

function classifyIpv6(g: number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'special'; // :: unspecified
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'; // ::1
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embeddedV4(g[6], g[7])); // ::ffff:a.b.c.d mapped
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return 'special'; // ::ffff:0:a.b.c.d translated (SIIT)
  if (zeroUpTo(6)) return 'special'; // ::a.b.c.d IPv4-compatible (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classifyIpv4(embeddedV4(g[6], g[7])); // 64:ff9b::/96 NAT64
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // 64:ff9b:1::/48 local-use NAT64
  if (g[0] === 0x2002) return classifyIpv4(embeddedV4(g[1], g[2])); // 6to4
  if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'special'; // 100::/64 discard
  if (g[0] === 0x2001 && g[1] < 0x200) return 'special'; // 2001::/23 protocol assignments (Teredo, ORCHID...)
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'special'; // documentation
  if (g[0] === 0x3fff && g[1] < 0x1000) return 'special'; // 3fff::/20 documentation (RFC 9637)
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return 'special'; // multicast
  if ((g[0] & 0xe000) !== 0x2000) return 'special'; // outside 2000::/3 global unicast: reserved
  return 'public';
}

/**
 * The class of an IP literal: IPv4 (in any form inet_aton accepts) or IPv6 (bracketed or not, with or
 * without a zone id). Whatever is not an IP literal is 'special'.
 */
export function classifyAddress(ip: string): AddressClass {
  const s = ip.trim();
  const v6 = s.includes(':') ? ipv6Groups(s) : null;
  if (v6) return classifyIpv6(v6);
  const v4 = parseIpv4Loose(s);
  if (v4) return classifyIpv4(ipv4Octets(v4)!);
  return 'special';
}

/** A host name as compared in allow-lists: lowercased, without brackets or a trailing dot, IPs normalised. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.includes(':')) {
    try {
      return new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
      return h;
    }
  }
  return parseIpv4Loose(h) ?? h;
}

/** Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address into a canonical host and port. */
function splitHostPort(s: string): { host: string; port: string | null } {
  const t = s.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) return { host: canonicalHost(bracket[1]), port: bracket[2] ?? null };
  const colons = t.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = t.split(':');
    return { host: canonicalHost(host), port: /^\d+$/.test(port) ? String(Number(port)) : port };
  }
  return { host: canonicalHost(t), port: null };
}

/**
 * Whether a host ("name" or "name:port", as in URL.host) is on the allow-list. An entry without a port
 * admits the host on any port; an entry with a port admits only that port. Case-insensitive.
 */
export function hostAllowed(host: string, allowHosts: string[]): boolean {
  const h = splitHostPort(host);
  for (const entry of allowHosts) {
    if (!entry.trim()) continue;
    const e = splitHostPort(entry);
    if (e.host === h.host && (e.port === null || e.port === h.port)) return true;
  }
  return false;
}

/** TURNOUT_ALLOW_HOSTS, a comma-separated list of hosts or host:port entries. */
export function allowHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.TURNOUT_ALLOW_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
