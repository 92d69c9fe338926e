// The librarian's desk in a browser: a librarian logs in and lands on /biblioteka, finds an
// item, corrects its title, watches the job's page follow the job (app.js) and finds the new
// title in search; axe-core finds nothing on any desk page at desktop width and at 390 px.
// With E2E_SCREENSHOTS=1 it also writes docs/screenshots/desk-*.png (docs/desk.md).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeViolations, startArchive } from './support.mjs';

let archive, token, itemId, jobPath;
before(async () => {
  archive = await startArchive();
  const made = spawnSync(process.env.MEDIATEKA_INDEX_BIN,
    ['token', 'create', '--db', archive.db, '--role', 'librarian', '--label', 'Anna Kowalska'],
    { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  token = JSON.parse(made.stdout).token;
});
after(async () => { await archive?.stop(); });

const format = (violations) => violations.map((v) =>
  `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(', ')}`).join('\n');

// A page whose browser holds the librarian's session (the server learns of a new token at its
// next look at the index: retried until the desk answers).
async function librarianPage(options = {}) {
  const page = await archive.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  page.setDefaultTimeout(15000);
  const origin = new URL(archive.url);
  await page.context().addCookies([{ name: 'mediateka_session', value: token,
                                     domain: origin.hostname, path: '/' }]);
  for (let attempt = 0; attempt < 40; attempt++) {
    const response = await page.goto(`${archive.url}/biblioteka`);
    if (response.status() === 200) break;
    await page.context().addCookies([{ name: 'mediateka_session', value: token,
                                       domain: origin.hostname, path: '/' }]);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return page;
}

describe('the librarian desk', () => {
  it('logs in, corrects a title through the form, follows the job and finds the new title', async () => {
    const page = await archive.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15000);
    try {
      // The login form; the token may need a moment to be known to the server.
      for (let attempt = 0; attempt < 40 && !page.url().endsWith('/biblioteka'); attempt++) {
        await page.goto(`${archive.url}/logowanie`);
        await page.locator('#token').fill(token);
        await page.getByRole('button', { name: 'Zaloguj' }).click();
        await page.waitForLoadState('load');
        if (!page.url().endsWith('/biblioteka')) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(page.url().endsWith('/biblioteka'), page.url());
      assert.match(await page.getByRole('banner').innerText(), /Anna Kowalska/);

      await page.locator('#szukaj-pozycji').fill('wolontariusz koordynatorów');
      await page.getByRole('button', { name: 'Szukaj' }).click();
      const link = page.locator('.desk-list a', { hasText: 'Wolontariusz w ośrodku pomocy społecznej' });
      await link.first().click();
      await page.waitForURL(/\/biblioteka\/pozycje\//);
      itemId = page.url().split('/').pop();
      assert.equal(await page.locator('#pole-title').inputValue(),
        'Wolontariusz w ośrodku pomocy społecznej. Poradnik dla koordynatorów');
      await page.locator('#pole-title').fill('Wolontariusz w OPS. Poradnik koordynatora 2026');
      await page.getByRole('button', { name: 'Zapisz zmiany' }).click();
      await page.waitForURL(/\/biblioteka\/zadania\/[0-9a-f]{12}$/);
      jobPath = new URL(page.url()).pathname;
      // The page follows the job (in place with the script, then reloads for the report).
      await page.locator('[data-job][data-state="done"]').waitFor({ timeout: 60000 });
      assert.match(await page.locator('#raport').innerText(), /Raport/);
      assert.match(await page.locator('main').innerText(), /Poradnik koordynatora 2026/);

      let found = 0;
      for (let attempt = 0; attempt < 40 && found === 0; attempt++) {
        await page.goto(`${archive.url}/?q=${encodeURIComponent('Poradnik koordynatora 2026')}`);
        found = await page.locator('.hit-title', { hasText: 'Wolontariusz w OPS. Poradnik koordynatora 2026' }).count();
        if (found === 0) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(found > 0, 'the new title is not found by search');
    } finally {
      await page.context().close();
    }
  });

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    it(`every desk page has no axe violations and fits at ${width}×${height}`, async () => {
      assert.ok(itemId && jobPath, 'the editing test ran first');
      const page = await librarianPage({ viewport: { width, height } });
      try {
        for (const path of ['/biblioteka', '/biblioteka?q=pomoc', '/biblioteka/dodaj',
          '/biblioteka/import', jobPath, `/biblioteka/pozycje/${itemId}`,
          `/biblioteka/pozycje/${itemId}/wycofaj`, '/biblioteka/tokeny', '/biblioteka/zapytania', '/biblioteka/historia']) {
          const response = await page.goto(`${archive.url}${path}`);
          assert.equal(response.status(), 200, path);
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0, `${path}:\n${format(violations)}`);
          const overflow = await page.evaluate(() =>
            document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px at ${width}`);
        }
      } finally {
        await page.context().close();
      }
    });
  }

  const shots = process.env.E2E_SCREENSHOTS === '1';
  it('screenshots for docs/desk.md', { skip: shots ? false : 'set E2E_SCREENSHOTS=1' }, async () => {
    const folder = join(process.env.MEDIATEKA_SOURCE_DIR, 'docs', 'screenshots');
    mkdirSync(folder, { recursive: true });
    const sizes = {
      desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
      phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true },
    };
    // The ones docs/desk.md shows.
    const pages = { home: ['/biblioteka', 'desktop'], item: [`/biblioteka/pozycje/${itemId}`, 'phone'],
                    job: [jobPath, 'desktop'] };
    for (const [size, options] of Object.entries(sizes)) {
      const page = await librarianPage(options);
      try {
        for (const [name, [path, wanted]] of Object.entries(pages)) {
          if (wanted !== size) continue;
          await page.goto(`${archive.url}${path}`);
          const file = join(folder, `desk-${name}-${size}.png`);
          await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
          assert.ok(statSync(file).size < 300 * 1024, file);
        }
      } finally {
        await page.context().close();
      }
    }
  });
});
