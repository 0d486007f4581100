/**
 * Long pastes for timing redaction: support-chat prose with personal data of every
 * pattern type every few lines, each value distinct (phones, emails and cards vary with
 * the line number), so the session's table grows as it would with a real export. Plain
 * data, no Node imports: the bench page and the browser tests use it too.
 */

/** A Luhn check digit for `body` (digits only). */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10;
}

function line(i: number): string {
  const n = String(i % 1000).padStart(3, '0');
  const card = `4000 00${n.slice(0, 2)} ${n}0 ${String(i % 10000).padStart(4, '0')}`.replace(/ /g, '');
  const cardNo = card.slice(0, 15) + luhnDigit(card.slice(0, 15));
  switch (i % 6) {
    case 0: return `Customer ${i} called from +44 20 7946 0${n} about order ${i * 7}; please call back.`;
    case 1: return `Reply to user${i}@example.com, cc ops-${n}@example.org, before the weekly sync on Friday.`;
    case 2: return `Refund card ${cardNo.replace(/(\d{4})(?=\d)/g, '$1 ')} for the amount of $${(i % 97) + 3}.50 today.`;
    case 3: return `Traffic from 203.0.113.${i % 250} and 2001:db8::${(i % 65535).toString(16)} looked fine in the logs.`;
    case 4: return `Her mobile is (555) 01${n.slice(1)}-${String(1000 + (i % 9000))} and the office is 030 1234${n}.`;
    default: return `The team shipped version 3.${i % 20}.1 on 2024-06-${String((i % 28) + 1).padStart(2, '0')} with no regressions reported.`;
  }
}

/** About `bytes` characters (UTF-16 code units) of pasted chat log. */
export function mixedPaste(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += `${line(i)}\n`;
  return out.slice(0, bytes);
}
