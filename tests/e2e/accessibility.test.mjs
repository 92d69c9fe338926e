// Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) finds nothing on each kind of page;
// every page links the accessibility statement; the skip link is the first Tab stop and
// moves focus to the main content.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { axeViolations, startArchive } from './support.mjs';

let archive;
before(async () => { archive = await startArchive(); });
after(async () => { await archive?.stop(); });

// [name, path, also checked at phone width]
const pages = [
  ['the search page', '/', true],
  ['a results page', '/?q=pomoc', true],
  ['a filtered results page, page 2', '/?q=pomoc&type=publication&per_page=2&page=2'],
  ['a search with no results', '/?q=xyzzyqwerty'],
  ['a search with a wrong parameter', '/?q=pomoc&year_from=abc'],
  ['a video item page (player, chapters, transcript)', '/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie?t=31', true],
  ['a video item page with sidecar captions', '/i/zostan-wolontariuszem-spot-kampanii'],
  ['an audio item page', '/i/wolontariusze-w-pomocy-spolecznej'],
  ['a PDF item page', '/i/pomoc-spoleczna-na-mazowszu-2007-2013-raport-z-projektu-razem-dla-mazowsza?page=7', true],
  ['a PDF item page after a search (page image, search in the document)',
   '/i/pomoc-spoleczna-na-mazowszu-2007-2013-raport-z-projektu-razem-dla-mazowsza?q=wolontariusze', true],
  ['a video item page with its transcript searched and cues ticked for a clip',
   '/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie?q=rodzina&cue=1&cue=2', true],
  ['an unknown address asked by the browser', '/wyszukiwanie', true],
  ['the places with their counts by year', '/miejsca', true],
  ['the accessibility statement', '/dostepnosc', true],
  ['the login page for partner institutions', '/logowanie', true],
  ['the not-found page', '/i/nie-ma-takiego-materialu', true],
];

const format = (violations) => violations.map((v) =>
  `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(', ')}`).join('\n');

describe('axe-core itself', () => {
  it('reports a violation on a page that has one (so the clean results below mean something)', async () => {
    const page = await archive.newPage();
    try {
      await page.goto(`${archive.url}/dostepnosc`);
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/nie-ma.png';
        document.querySelector('main').appendChild(img);
      });
      const violations = await axeViolations(page);
      assert.deepEqual(violations.map((v) => v.id), ['image-alt']);
    } finally {
      await page.context().close();
    }
  });
});

// Every page at desktop width; the main ones also at phone width, where the layout changes
// (folded filters, one column).
for (const [width, height] of [[1280, 900], [390, 844]]) {
  describe(`axe-core at ${width}×${height}`, () => {
    for (const [name, path, phone] of pages) {
      if (width < 600 && !phone) continue;
      it(`${name} (${path}) has no violations and links the accessibility statement`, async () => {
        const page = await archive.newPage({ viewport: { width, height } });
        page.setDefaultTimeout(10000);
        try {
          const response = await page.goto(`${archive.url}${path}`);
          assert.ok(response.headers()['content-type'].startsWith('text/html'));
          await page.waitForLoadState('load');
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0, `\n${format(violations)}`);

          assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
          const statement = page.getByRole('contentinfo')
            .getByRole('link', { name: 'Deklaracja dostępności' });
          assert.equal(await statement.getAttribute('href'), '/dostepnosc');
          assert.equal(await page.getByRole('main').count(), 1);
          assert.equal(await page.getByRole('banner').count(), 1);
          assert.equal(await page.locator('h1').count(), 1);
        } finally {
          await page.context().close();
        }
      });
    }
  });
}

describe('logged in', () => {
  // One token for the pages below (the server learns of it at its next look at the index).
  let token;
  before(() => {
    const made = spawnSync(process.env.MEDIATEKA_INDEX_BIN,
      ['token', 'create', '--db', archive.db, '--group', 'gmina-testowa', '--label', 'Gmina Testowa'],
      { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    token = JSON.parse(made.stdout).token;
  });

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    it(`the header says who is logged in and offers "Wyloguj", without violations at ${width}×${height}`, async () => {
      const page = await archive.newPage({ viewport: { width, height } });
      page.setDefaultTimeout(10000);
      try {
        const origin = new URL(archive.url);
        await page.context().addCookies([{ name: 'mediateka_session', value: token,
                                           domain: origin.hostname, path: '/' }]);
        // The server sees the new token once it has noticed the index's commit.
        let text = '';
        for (let attempt = 0; attempt < 20 && !/Zalogowano/.test(text); attempt++) {
          await page.goto(`${archive.url}/?q=pomoc`);
          text = await page.getByRole('banner').innerText();
          if (!/Zalogowano/.test(text)) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        assert.match(text, /Zalogowano: Gmina Testowa \(grupa: gmina-testowa\)/);
        assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Wyloguj' }).count(), 1);
        assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Zaloguj' }).count(), 0);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `\n${format(violations)}`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('a wrong session shows the error in the page layout, and the login form its error', async () => {
    const page = await archive.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(10000);
    try {
      const origin = new URL(archive.url);
      await page.context().addCookies([{ name: 'mediateka_session', value: 'mtk_zly',
                                         domain: origin.hostname, path: '/' }]);
      const response = await page.goto(`${archive.url}/`);
      assert.equal(response.status(), 401);
      assert.equal(await page.locator('h1').innerText(), 'Brak dostępu');
      assert.equal(await page.getByRole('alert').count(), 1);
      assert.equal((await axeViolations(page)).length, 0);

      await page.context().clearCookies();
      await page.goto(`${archive.url}/logowanie`);
      await page.locator('#token').fill('mtk_zly');
      await page.getByRole('button', { name: 'Zaloguj' }).click();
      await page.locator('#blad').waitFor();
      assert.match(await page.getByRole('alert').innerText(), /Nieprawidłowy/);
      assert.equal(await page.locator('#token').getAttribute('aria-invalid'), 'true');
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `\n${format(violations)}`);
    } finally {
      await page.context().close();
    }
  });
});

describe('keyboard', () => {
  for (const path of ['/', '/?q=pomoc', '/i/zostan-wolontariuszem-spot-kampanii', '/dostepnosc']) {
    it(`on ${path} the first Tab reaches the skip link, which moves focus to main`, async () => {
      const page = await archive.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(10000);
      try {
        await page.goto(`${archive.url}${path}`);
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return { tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
                   outline: style.outlineStyle, visible: box.width > 1 && box.height > 1 &&
                   box.bottom > 0 && box.top < innerHeight };
        });
        assert.deepEqual({ tag: focused.tag, text: focused.text, href: focused.href },
                         { tag: 'A', text: 'Przejdź do treści', href: '#tresc' });
        assert.ok(focused.visible, 'the focused skip link is on screen');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement?.id === 'tresc');
        assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN');
        assert.match(page.url(), /#tresc$/);
        // The next Tab goes on inside main, not back to the header.
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.getElementById('tresc').contains(document.activeElement)),
                  'after the skip link, Tab continues in main');
      } finally {
        await page.context().close();
      }
    });
  }

  it('the statement at /dostepnosc is linked from the footer, names the centre from [site] and shows no placeholder', async () => {
    const page = await archive.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${archive.url}/`);
      await Promise.all([page.waitForURL(/\/dostepnosc$/),
                         page.getByRole('link', { name: 'Deklaracja dostępności' }).click()]);
      assert.equal(await page.locator('h1').innerText(), 'Deklaracja dostępności');
      const text = await page.getByRole('main').innerText();
      assert.match(text, /ustawą z dnia 4 kwietnia 2019 r\. o dostępności cyfrowej/);
      assert.match(text, /Procedura wnioskowo-skargowa/);
      // The repository's configuration names the centre and states no other fact: the
      // sentences of the missing facts are left out, nothing asks to be filled in.
      assert.match(text, /^Regionalne Centrum Polityki Społecznej zobowiązuje się/m);
      assert.doesNotMatch(text, /do uzupełnienia/);
      assert.equal(await page.locator('main .placeholder').count(), 0);
      assert.doesNotMatch(text, /Osobą kontaktową/);
    } finally {
      await page.context().close();
    }
  });
});
