/**
 * Check-digit rules of national identifiers, on digit strings only (no spaces). A number
 * that fails its check is left visible: it is more likely an order number or a typo.
 */

/**
 * German tax ID (Steuerliche Identifikationsnummer): 11 digits, no leading 0, the last one
 * an ISO 7064 MOD 11,10 check digit. Since 2016 exactly one digit of the first ten appears
 * twice or three times (three never side by side) and every other at most once
 * (BZSt, "Aufbau der Identifikationsnummer"; §139b AO).
 */
export function isSteuerId(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) counts[digits.charCodeAt(i) - 48]! += 1;
  const repeated = counts.filter((c) => c > 1);
  if (repeated.length !== 1 || (repeated[0] ?? 0) > 3) return false;
  if (repeated[0] === 3 && /(\d)\1\1/.test(digits.slice(0, 10))) return false;
  return mod11_10(digits.slice(0, 10)) === digits.charCodeAt(10) - 48;
}

/** ISO 7064 MOD 11,10: the check digit that completes `digits`. */
export function mod11_10(digits: string): number {
  let product = 10;
  for (let i = 0; i < digits.length; i++) {
    const sum = (digits.charCodeAt(i) - 48 + product) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10;
}

/**
 * French social security number (NIR): 13 characters and a key of 97 − (n mod 97). The
 * Corsican departments 2A and 2B count as 19 and 18 in `n` (INSEE's rule), so the key of
 * a Corsican NIR differs from that of the same number with 20.
 */
export function nirKey(body13: string): number {
  const n = body13.replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(n)) return -1;
  // 13 digits exceed 2^53 only past 9e15, so plain numbers are exact here.
  return 97 - (Number(n) % 97);
}

export function isNir(chars15: string): boolean {
  return Number(chars15.slice(13)) === nirKey(chars15.slice(0, 13));
}

/** Verhoeff's dihedral-group tables (J. Verhoeff, 1969), as UIDAI uses them for Aadhaar. */
const D = [
  '0123456789', '1234067895', '2340178956', '3401289567', '4012395678',
  '5987604321', '6598710432', '7659821043', '8765932104', '9876543210',
].map((row) => [...row].map(Number));
const P = [
  '0123456789', '1576283094', '5803796142', '8916043527', '9453126870',
  '4286573901', '2793806415', '7046913258',
].map((row) => [...row].map(Number));

export function verhoeff(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = D[c]?.[P[i % 8]?.[d] ?? 0] ?? 0;
  }
  return c === 0;
}

/** Indian Aadhaar: 12 digits, the first never 0 or 1 (UIDAI), the last a Verhoeff check digit. */
export function isAadhaar(digits: string): boolean {
  return /^[2-9]\d{11}$/.test(digits) && verhoeff(digits);
}
