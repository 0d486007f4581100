/**
 * Text that looks like personal data but is not, and must reach the cloud unchanged:
 * redacting it would cost the model the facts it needs (a date, a price, a version).
 *
 * One decision is pinned elsewhere, not here: a dotted quad of valid octets ("version
 * 1.2.3.4") IS redacted as an IPv4 address, since the text alone cannot tell the two
 * apart (see `PII_CORPUS`); "v1.2.3.4", with a letter attached, is a version and stays.
 *
 * Plain data, no Node imports: the browser suite of the whole SDK reads it too.
 */
export interface NearMiss {
  /** Why this is not personal data. */
  why: string;
  text: string;
}

export const NEAR_MISSES: readonly NearMiss[] = Object.freeze([
  { why: 'card-like, fails Luhn', text: 'Card 4111 1111 1111 1112 was rejected' },
  { why: 'card-like, fails Luhn', text: 'Try 1234 5678 9012 3456 as a dummy' },
  { why: 'card-like, fails Luhn', text: 'Amex-shaped 3782 822463 10006 is wrong' },
  { why: 'card-like, fails Luhn', text: 'ref 4929123456789012' },
  { why: 'too many digits for a card', text: 'Tracking 41111111111111111111 shipped' },
  { why: 'IBAN with a wrong check digit', text: 'IBAN DE88 3704 0044 0532 0130 00 bounced' },
  { why: 'IBAN with a wrong check digit', text: 'GB00 NWBK 6016 1331 9268 19 is invalid' },
  { why: 'IBAN with a mistyped account', text: 'GB29 NWBK 6016 1331 9268 18 please' },
  { why: 'ISO date', text: 'Meeting on 2024-06-11 at 14:30' },
  { why: 'European date', text: 'Geboren am 11.06.2024 in Köln' },
  { why: 'US date', text: 'Due 06/11/2024, no later' },
  { why: 'date and time', text: 'Logged 2024-06-11 10:30:00 UTC' },
  { why: 'compact date', text: 'Build 20240611 passed' },
  { why: 'version with a v', text: 'Upgrade to v1.2.3.4 today' },
  { why: 'three-part version', text: 'Node 20.11.1 and npm 10.2.4' },
  { why: 'five-part version', text: 'Firmware 1.2.3.4.5 is out' },
  { why: 'price', text: 'It costs $1,299.00 plus tax' },
  { why: 'price', text: 'Preis: 49,99 € inkl. MwSt.' },
  { why: 'big number', text: 'Population 8,100,000,000 and growing' },
  { why: 'big number with spaces', text: 'Budget 1 000 000 EUR' },
  { why: 'percentage', text: 'Margin 45.5% this quarter' },
  { why: 'pi', text: 'Use 3.14159 for pi' },
  { why: 'coordinates', text: 'Paris is at 48.8566, 2.3522' },
  { why: 'ordinary URL', text: 'Docs at https://example.com/docs?page=2&sort=asc' },
  { why: 'ordinary URL', text: 'See https://github.com/org/repo/issues/42.' },
  { why: 'URL param that only ends in "key"', text: 'https://example.com/zoo?monkey=1' },
  { why: 'URL param "keys" is not a key', text: 'https://example.com/help?keys=10&lang=en' },
  { why: 'URL with a short user name and no password', text: 'ftp://anonymous:@ftp.example.org/pub' },
  { why: 'empty token parameter', text: 'https://example.com/reset?token=' },
  { why: 'short number', text: 'Room 42 on floor 3' },
  { why: 'zip code', text: 'San Francisco, CA 94103' },
  { why: 'extension', text: 'Ask for extension 4521' },
  { why: 'order id', text: 'Order #48213 shipped' },
  { why: 'order id', text: 'Your order ORD-2024-118833 is ready' },
  { why: 'invoice number', text: 'Invoice INV-000123 attached' },
  { why: 'invoice number with date', text: 'Invoice 2024/0042 is paid' },
  { why: 'order number with date', text: 'Order 20240611-0042 confirmed' },
  { why: 'UPS tracking', text: 'Tracking 1Z999AA10123456784' },
  { why: 'UUID', text: 'Request f47ac10b-58cc-4372-a567-0e02b2c3d479 failed' },
  { why: 'hash', text: 'sha256 e3b0c44298fc1c149afbf4c8996fb924' },
  { why: 'unix time', text: 'Expires at 1718064000' },
  { why: 'ISBN', text: 'ISBN 978-3-16-148410-0' },
  { why: 'years', text: 'From 2019 2020 2021 to now' },
  { why: 'seven-digit local number without area code', text: 'Dial 555-0100' },
  { why: 'phone-shaped but not a valid number anywhere we try', text: 'Code 123 456 7890' },
  { why: 'time', text: 'Lunch at 12:30:45 sharp' },
  { why: 'C++ scope', text: 'Use std::vector or Foo::Bar' },
  { why: 'MAC address', text: 'MAC 00:1A:2B:3C:4D:5E' },
  { why: 'SSN with area 000', text: 'SSN 000-12-3456 is invalid' },
  { why: 'SSN with area 666', text: 'SSN 666-12-3456 is invalid' },
  { why: 'SSN with area 9xx', text: 'ITIN-like 912-34-5678' },
  { why: 'SSN with group 00', text: 'SSN 123-00-4567 is invalid' },
  { why: 'SSN with serial 0000', text: 'SSN 123-45-0000 is invalid' },
  { why: 'NINO prefix never issued', text: 'NI GB 12 34 56 A' },
  { why: 'NINO with Q', text: 'NI QQ 12 34 56 C' },
  { why: 'IPv4 octet out of range', text: 'Bad address 256.1.1.1' },
  { why: 'three octets', text: 'Subnet 192.168.1 only' },
  { why: 'octets out of range', text: '999.999.999.999' },
  { why: 'octet with a leading zero', text: 'Legacy 010.001.001.001' },
  { why: 'handle, not an email', text: 'Thanks @jane.doe!' },
  { why: 'no top-level domain', text: 'root@localhost logged in' },
  { why: 'no domain', text: 'Write to jane@ later' },
  { why: 'not placeholder-shaped: leading zero', text: 'Literal [EMAIL_01] stays' },
  { why: 'not placeholder-shaped: lower case', text: 'Literal [email_1] stays' },
  { why: 'not placeholder-shaped: unknown type', text: 'Literal [NAME_1] stays' },
]);
