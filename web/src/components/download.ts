import type { Download } from '../app/api.ts';

/**
 * Hands a file the SDK fetched (with the session's token: a plain link would not carry it) to the
 * browser as a download, under its name.
 */
export function saveDownload({ blob, filename }: Download, fallbackName: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
