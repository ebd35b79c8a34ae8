import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The hostile-content and Content-Security-Policy tests (tests/e2e/hostile/), against a copy
// of the built site with a hostile article added (tests/e2e/hostile/prepare.sh, run first by
// `make test-hostile`), served twice: by the receiver and by a plain static server.
const receiverPort = process.env.HOSTILE_RECEIVER_PORT ?? '8182';
const plainPort = process.env.HOSTILE_PLAIN_PORT ?? '8183';

export default defineConfig({
  ...base,
  testDir: 'tests/e2e/hostile',
  projects: [{ name: 'hostile', use: { viewport: { width: 390, height: 844 }, hasTouch: true } }],
  webServer: [
    {
      command: `target/release/booking-api --listen 127.0.0.1:${receiverPort} --site var/hostile/site --database var/hostile/bookings.sqlite`,
      url: `http://127.0.0.1:${receiverPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `python3 -m http.server ${plainPort} --bind 127.0.0.1 --directory var/hostile/site`,
      url: `http://127.0.0.1:${plainPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
