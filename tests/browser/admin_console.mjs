// The admin console in a real browser (Debian's chromium, driven by playwright-core): log in as an
// admin, see the failed message appear, press Retry, see it sent, save a screenshot. Run by
// tests/e2e/admin_console_browser_test.cpp, which starts the service and reads the exit code.
//
// Environment: CONSOLE_URL (the /admin page), ADMIN_EMAIL, ADMIN_PASSWORD, MESSAGE_ID (the failed
// message to retry), STILL_FAILED_ID (another failed message, left alone), SCREENSHOT (where the
// PNG goes), CHROME_BIN (default /usr/bin/chromium).
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const deadline = { timeout: 20000 };

async function main() {
  const started = Date.now();
  const url = env('CONSOLE_URL');
  const messageId = env('MESSAGE_ID');
  const otherId = env('STILL_FAILED_ID');
  const marks = [];
  const mark = (name) => marks.push(`${name} ${Date.now() - started} ms`);
  const browser = await chromium.launch({ executablePath: process.env.CHROME_BIN || '/usr/bin/chromium' });
  mark('launched');
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error}`));
    page.on('console', (line) => {
      if (line.type() === 'error') problems.push(`console error: ${line.text()}`);
    });

    await page.goto(url);
    await page.fill('#email', env('ADMIN_EMAIL'));
    await page.fill('#password', env('ADMIN_PASSWORD'));
    await page.click('#login');

    // The live stream is up, and the failed message is listed with its Retry button.
    await page.waitForSelector('#live.on', deadline);
    mark('live');
    await page.waitForSelector('[data-actor="engine.scheduler"]', deadline);
    // A pool's workers are one folded row until it is clicked.
    const workers = page.locator('[data-actor="core.db_pool.workers"]');
    await workers.waitFor(deadline);
    if (!/^▸ \d+ of \d+ workers$/.test((await workers.locator('td.name').textContent()).trim())) {
      throw new Error('the database pool\'s workers are not folded into one row');
    }
    await page.waitForSelector('[data-actor="core.db_pool.worker.0"]', { ...deadline, state: 'hidden' });
    await workers.click();
    await page.waitForSelector('[data-actor="core.db_pool.worker.0"]', { ...deadline, state: 'visible' });
    await workers.click();
    await page.waitForSelector('[data-actor="core.db_pool.worker.0"]', { ...deadline, state: 'hidden' });
    mark('workers folded and unfolded');
    const retry = page.locator(`button[data-retry="${messageId}"]`);
    await retry.waitFor(deadline);
    await page.waitForSelector(`[data-message="${otherId}"]`, deadline);
    if ((await page.textContent('[data-status="failed"]')) !== '2') {
      throw new Error('the queue depths do not show the two failed messages');
    }
    mark('failed listed');
    await retry.click();

    // Sent: gone from the failed list, and the stream's queue depths count it as sent; the other
    // one is still there.
    await page.waitForFunction(
      (id) => !document.querySelector(`[data-message="${id}"]`) &&
        document.querySelector('[data-status="sent"]')?.textContent === '1' &&
        document.querySelector('[data-status="failed"]')?.textContent === '1',
      messageId, deadline);
    await page.waitForSelector(`[data-message="${otherId}"]`, deadline);
    mark('sent');
    await page.waitForSelector('#audit td:text-is("retry")', deadline);

    await page.screenshot({ path: env('SCREENSHOT'), fullPage: true });
    if (problems.length > 0) throw new Error(problems.join('\n'));
    mark('screenshot');
    console.log(`admin console: logged in, retried message ${messageId}, saw it sent (${marks.join(', ')})`);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
