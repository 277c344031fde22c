/** Paths inside the package. */
export const PACKAGE_PATHS = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  publicKey: 'signing-key.pem',
  events: 'audit/events.jsonl',
  index: 'index.html',
} as const;
