import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { ValidationError } from '../../platform/errors.ts';

function ipv4Private(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Whether an IP address is private, loopback, link-local, unspecified or multicast. Pure. */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return ipv4Private(ip);
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return ipv4Private(mapped[1]!);
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe8') ||
    v6.startsWith('fe9') ||
    v6.startsWith('fea') ||
    v6.startsWith('feb') ||
    v6.startsWith('ff')
  );
}

/**
 * Refuses a webhook target that resolves to a private address unless the webhook allows it.
 * Checked at creation and again before every delivery (DNS can change between the two).
 */
export async function checkTarget(url: string, allowPrivate: boolean): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError('a webhook URL must be an absolute http or https URL', 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ValidationError('a webhook URL must be http or https', 'url');
  if (allowPrivate) return;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : await resolve(host);
  const bad = addresses.find(isPrivateAddress);
  if (bad)
    throw new ValidationError(
      `the webhook target ${u.hostname} resolves to a private address (${bad}); an admin can set allowPrivate`,
      'url',
    );
}

/** The addresses of `host`; a host that does not resolve is the caller's input error, not ours. */
async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'lookup failed';
    throw new ValidationError(`the webhook target host '${host}' does not resolve (${code})`, 'url', {
      rule: 'webhook_target',
    });
  }
}
