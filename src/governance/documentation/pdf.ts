import fs from 'node:fs';
import { DomainError } from '../../platform/errors.ts';

/** Where Chromium is looked for, in order, after ASSAY_CHROMIUM_PATH. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The Chromium executable to print with, or null when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.ASSAY_CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? configured : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** How to make PDF export work, for the error when Chromium is missing. */
export const PDF_HELP =
  'PDF export prints the HTML export with Chromium, which was not found. Install it (Debian/Ubuntu: ' +
  '`apt-get install chromium`; or `npx playwright install chromium`) or set ASSAY_CHROMIUM_PATH to a ' +
  'Chrome/Chromium executable. Meanwhile export format=html and print it from a browser.';

/**
 * Prints self-contained HTML to PDF (A4) with headless Chromium. Every network request is
 * refused, so the PDF shows only what the HTML holds. Throws `unavailable` (503) naming how to
 * install Chromium when there is none.
 */
export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const executablePath = findChromium(env);
  if (!executablePath)
    throw new DomainError('unavailable', PDF_HELP, {
      rule: 'pdf_renderer_missing',
      looked: [env.ASSAY_CHROMIUM_PATH ?? null, ...CANDIDATES].filter((x) => x !== null),
    });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
