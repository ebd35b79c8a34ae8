import type { Page } from '@playwright/test';

// The two hosts of the hostile-content copy of the site (see playwright.hostile.config.ts):
// the receiver, which sends the Content-Security-Policy as a header too, and a plain static
// server that sends no headers at all, like GitHub Pages or a host without a headers file.
export const hosts = [
  { name: 'the receiver', url: `http://127.0.0.1:${process.env.HOSTILE_RECEIVER_PORT ?? '8182'}` },
  { name: 'a plain static server', url: `http://127.0.0.1:${process.env.HOSTILE_PLAIN_PORT ?? '8183'}` },
];

/**
 * Records anything the page runs that it should not: a dialog (every payload calls alert) or
 * a page error. A Content-Security-Policy report in the console is not execution: it is the
 * policy stopping something, which is fine.
 */
export async function watchForExecution(page: Page): Promise<() => string[]> {
  const ran: string[] = [];
  page.on('dialog', async (dialog) => {
    ran.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('pageerror', (error) => ran.push(`error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // A refused request or a missing page is answered with a page and a 4xx status, which
    // the browser logs; that is not execution either.
    if (message.type() === 'error' && !text.includes('Content Security Policy') && !/status of 4\d\d/.test(text)) {
      ran.push(`console: ${text}`);
    }
  });
  return () => ran;
}
