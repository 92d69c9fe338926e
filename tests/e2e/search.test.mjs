// The search page in a real browser: typing a query, facets (state in the URL, multi-select
// counts), the back button, pagination, and completions from /api/suggest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startArchive } from './support.mjs';

let archive;
before(async () => { archive = await startArchive(); });
after(async () => { await archive?.stop(); });

const resultCount = (page) => page.locator('#liczba-wynikow').innerText();
const hitTitles = (page) => page.locator('ol.hits .hit-title').allInnerTexts();
// The checkbox of one facet value and the text of its label, e.g. "publikacja (2 materiały)".
const facet = (page, name, value) => page.locator(`input[name="${name}"][value="${value}"]`);
const facetLabel = (page, name, value) => page.evaluate(([n, v]) => {
  const input = document.querySelector(`input[name="${n}"][value="${v}"]`);
  return input ? document.querySelector(`label[for="${input.id}"]`).textContent : null;
}, [name, value]);

describe('search page', () => {
  it('searches, filters by type (state in the URL), widens, clears and goes back', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}/`);
      assert.match(await resultCount(page), /^Znaleziono 12 materiałów$/);

      // Type a query and submit it with Enter.
      await page.locator('#q').fill('wolontariusz');
      await Promise.all([page.waitForURL(/[?&]q=wolontariusz(&|$)/), page.locator('#q').press('Enter')]);
      assert.equal(await resultCount(page), 'Znaleziono 5 materiałów');
      const allTitles = await hitTitles(page);
      assert.equal(allTitles.length, 5);
      assert.ok(allTitles.includes('Zostań wolontariuszem – spot kampanii'), allTitles.join(' | '));
      assert.equal(await page.locator('h2#wyniki-naglowek').innerText(),
                   'Wyniki dla zapytania „wolontariusz”');
      assert.match(await facetLabel(page, 'type', 'film'), /^film \(1 materiał\)$/);
      // Every word is in the archive, so no "Czy chodziło o" correction is offered.
      assert.equal(await page.locator('p.suggestion').count(), 0);

      // Choose the type "film" and apply the filters: the URL holds q and type.
      await facet(page, 'type', 'film').check();
      await Promise.all([page.waitForURL(/[?&]type=film(&|$)/),
                         page.getByRole('button', { name: 'Zastosuj filtry' }).click()]);
      const filtered = new URL(page.url());
      assert.equal(filtered.searchParams.get('q'), 'wolontariusz');
      assert.deepEqual(filtered.searchParams.getAll('type'), ['film']);
      assert.equal(await resultCount(page), 'Znaleziono 1 materiał');
      assert.deepEqual(await hitTitles(page), ['Zostań wolontariuszem – spot kampanii']);
      assert.ok(await facet(page, 'type', 'film').isChecked());
      // Multi-select: the other types are still offered, counted without the type filter.
      assert.match(await facetLabel(page, 'type', 'publication'), /^publikacja \(2 materiały\)$/);
      assert.match(await facetLabel(page, 'type', 'bulletin'), /^biuletyn \(1 materiał\)$/);
      assert.match(await facetLabel(page, 'type', 'radio'), /^audycja radiowa \(1 materiał\)$/);
      assert.match(await page.locator('.filter-panel summary').innerText(), /Filtry \(1 wybrany\)/);

      // A second type widens the results (OR within a facet).
      await facet(page, 'type', 'radio').check();
      await Promise.all([page.waitForURL(/type=radio/),
                         page.getByRole('button', { name: 'Zastosuj filtry' }).click()]);
      assert.deepEqual(new URL(page.url()).searchParams.getAll('type').sort(), ['film', 'radio']);
      assert.equal(await resultCount(page), 'Znaleziono 2 materiały');

      // Back twice: the film-only results, then the unfiltered ones.
      await page.goBack();
      await page.waitForURL((url) => url.searchParams.getAll('type').join() === 'film');
      assert.equal(await resultCount(page), 'Znaleziono 1 materiał');
      await page.goBack();
      await page.waitForURL((url) => !url.searchParams.has('type'));
      assert.equal(await resultCount(page), 'Znaleziono 5 materiałów');
      assert.deepEqual(await hitTitles(page), allTitles);
      assert.equal(await page.locator('#q').inputValue(), 'wolontariusz');

      // "Wyczyść filtry" after filtering keeps the query and drops the filters.
      await page.goto(`${archive.url}/?q=wolontariusz&type=film&campaign=Wolontariat`);
      assert.equal(await resultCount(page), 'Znaleziono 1 materiał');
      await Promise.all([page.waitForURL((url) => !url.searchParams.has('type')),
                         page.getByRole('link', { name: 'Wyczyść filtry' }).click()]);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'wolontariusz');
      assert.equal(await resultCount(page), 'Znaleziono 5 materiałów');
    } finally {
      await page.context().close();
    }
  });

  it('paginates with per_page=2 and keeps per_page in a new search', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}/?per_page=2`);
      assert.equal(await resultCount(page), 'Znaleziono 12 materiałów');
      const first = await hitTitles(page);
      assert.equal(first.length, 2);
      const pagination = page.getByRole('navigation', { name: 'Strony wyników' });
      assert.equal(await pagination.locator('[aria-current="page"]').textContent(), 'Strona 1');

      await Promise.all([page.waitForURL(/[?&]page=2(&|$)/),
                         pagination.getByRole('link', { name: /Następna/ }).click()]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('page'), '2');
      assert.equal(url.searchParams.get('per_page'), '2');
      const second = await hitTitles(page);
      assert.equal(second.length, 2);
      assert.ok(second.every((title) => !first.includes(title)),
                `page 2 repeats page 1: ${first} / ${second}`);
      assert.equal(await page.locator('ol.hits').getAttribute('start'), '3');
      assert.equal(await pagination.locator('[aria-current="page"]').textContent(), 'Strona 2');
      assert.match(await page.title(), /strona 2/);

      // "Poprzednia" goes back to page 1.
      await Promise.all([page.waitForURL((u) => !u.searchParams.has('page')),
                         pagination.getByRole('link', { name: /Poprzednia/ }).click()]);
      assert.deepEqual(await hitTitles(page), first);

      // A search from this page keeps per_page (hidden field) and starts at page 1.
      await page.locator('#q').fill('pomoc');
      await Promise.all([page.waitForURL(/q=pomoc/),
                         page.getByRole('button', { name: 'Szukaj', exact: true }).click()]);
      const searched = new URL(page.url());
      assert.equal(searched.searchParams.get('per_page'), '2');
      assert.equal(searched.searchParams.has('page'), false);
      assert.equal((await hitTitles(page)).length, 2);
    } finally {
      await page.context().close();
    }
  });

  it('offers completions: "wolo" lists "Wolontariat", chosen with ArrowDown and Enter', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}/`);
      const box = page.locator('#q');
      assert.equal(await box.getAttribute('role'), 'combobox');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      await box.click();
      await box.pressSequentially('wolo', { delay: 30 });
      const list = page.getByRole('listbox', { name: 'Podpowiedzi' });
      await list.waitFor({ state: 'visible' });
      assert.equal(await box.getAttribute('aria-expanded'), 'true');
      const options = await list.getByRole('option').allInnerTexts();
      assert.ok(options.includes('Wolontariat'), `suggestions: ${options.join(' | ')}`);
      assert.ok(options.length <= 8);
      // The live region announces how many there are.
      assert.match(await page.locator('.combo [role="status"]').innerText(),
                   new RegExp(`^${options.length} podpowied`));

      // ArrowDown until "Wolontariat" is the active option, then Enter searches for it.
      const target = options.indexOf('Wolontariat');
      for (let i = 0; i <= target; ++i) await box.press('ArrowDown');
      const activeId = await box.getAttribute('aria-activedescendant');
      assert.ok(activeId);
      assert.equal(await page.locator(`#${activeId}`).innerText(), 'Wolontariat');
      assert.equal(await page.locator(`#${activeId}`).getAttribute('aria-selected'), 'true');
      await Promise.all([page.waitForURL(/[?&]q=Wolontariat(&|$)/), box.press('Enter')]);
      assert.equal(await box.inputValue(), 'Wolontariat');
      assert.match(await resultCount(page), /^Znaleziono \d+ materiał/);
      assert.ok((await hitTitles(page)).length > 0);

      // Escape closes the list without searching.
      await box.fill('');
      await box.pressSequentially('spół', { delay: 30 });
      await list.waitFor({ state: 'visible' });
      await box.press('Escape');
      await list.waitFor({ state: 'hidden' });
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      assert.match(page.url(), /q=Wolontariat/);
    } finally {
      await page.context().close();
    }
  });
});
