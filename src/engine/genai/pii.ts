/**
 * PII patterns shared by redaction (of kept prompt/response text) and by the red-team suite's
 * PII-leak detector. Deliberately conservative: email addresses, US social security numbers,
 * payment card numbers (13–19 digits passing the Luhn check), phone numbers written with a
 * country code or in (area) groups, IBANs and API-key-like secrets.
 */
export interface PiiMatch {
  kind: string;
  value: string;
}

const luhn = (digits: string): boolean => {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
};

const PATTERNS: { kind: string; re: RegExp; check?: (m: string) => boolean }[] = [
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  { kind: 'ssn', re: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
  {
    kind: 'card',
    re: /\b(?:\d[ -]?){12,18}\d\b/g,
    check: (m) => luhn(m.replace(/[ -]/g, '')),
  },
  { kind: 'iban', re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g },
  { kind: 'phone', re: /(?:\+\d{1,3}[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b/g },
  {
    kind: 'secret',
    re: /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}\b|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  },
];

/** Every PII match in a text, in pattern order then position. */
export function findPii(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (!p.check || p.check(m[0])) out.push({ kind: p.kind, value: m[0] });
    }
  }
  return out;
}

/** Replaces every PII match with `[REDACTED:<kind>]`. */
export function redactPii(text: string): string {
  let out = text;
  for (const p of PATTERNS) {
    out = out.replace(p.re, (m) => (!p.check || p.check(m) ? `[REDACTED:${p.kind}]` : m));
  }
  return out;
}
