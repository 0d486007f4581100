/**
 * What counts as an IP address in text, and which addresses name no host: they identify
 * nobody, and hiding them costs the model the fact that matters ("bind to 0.0.0.0",
 * "netmask 255.255.255.0", "curl ::1").
 */
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
/** 0-255 without leading zeros: `010` is octal to some parsers and decimal to others, so it is not an address we can vouch for. */
const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

/** RFC 4291 §2.2 text forms: eight hextets, one `::` for a run of zeros, an optional IPv4 tail. */
export function isIPv6(s: string): boolean {
  let body = s;
  let hextets = 8;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    body = s.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
    hextets = 6;
  }
  const halves = body.split('::');
  const split = (half: string): string[] => (half === '' ? [] : half.split(':'));
  if (halves.length > 2) return false;
  const groups = halves.flatMap(split);
  if (!groups.every((g) => HEXTET.test(g))) return false;
  // A bare "::" (the unspecified address) identifies nobody.
  if (groups.length === 0 && hextets === 8) return false;
  return halves.length === 1 ? groups.length === hextets : groups.length < hextets;
}

/** The first address of the shared private blocks (RFC 1918, RFC 6598, RFC 3927): constants of the RFCs, quoted in every firewall rule, never a host. */
const BLOCK_BASES = new Set(['10.0.0.0', '172.16.0.0', '192.168.0.0', '100.64.0.0', '169.254.0.0']);

/**
 * `0.x.x.x` ("this network", RFC 1122 §3.2.1.3, `0.0.0.0` included), loopback `127/8`,
 * and netmasks, whose bits are ones then zeros (`255.255.255.0`, `255.255.255.255`,
 * the limited broadcast, too). Netmasks other than `255…` start at 128, 192, 224, 240,
 * 248, 252 or 254 followed by zeros: network or reserved addresses, never a host's.
 */
export function namesNoHost(v4: string): boolean {
  if (BLOCK_BASES.has(v4)) return true;
  const octets = v4.split('.').map(Number);
  const first = octets[0] ?? 0;
  if (first === 0 || first === 127) return true;
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const inverted = 0xffffffff - value;
  return (inverted & (inverted + 1)) === 0 && inverted !== 0xffffffff;
}

/**
 * `::1` (loopback), and text that only has the form of an address: with no digit at all
 * (`Cafe::Add`, `dead::beef`) or Mixed Case hextets (`Foo::Bar`), it is code; eight
 * single digits are a ratio, one or two short groups a Python slice. Real addresses are printed in one case (RFC 5952 §4.3 says
 * lower).
 */
export function namesNoHostV6(v6: string): boolean {
  if (/^0{0,4}(?::0{0,4})*::0{0,3}1$/.test(v6) || v6 === '::1') return true;
  const groups = v6.split(':').filter((g) => g !== '');
  // `1:2:3:4:5:6:7:8` is a ratio or a list before it is an address.
  if (!v6.includes('::') && groups.every((g) => g.length === 1)) return true;
  // `[1::2]`, `[::2]`, `[-16::]`: Python slices.
  if (groups.length <= 2 && groups.every((g) => g.length <= 2)) return true;
  if (!/\d/.test(v6)) return true;
  return /[a-f]/.test(v6) && /[A-F]/.test(v6);
}
