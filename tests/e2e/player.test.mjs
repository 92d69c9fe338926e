// The "done when": a phrase spoken in a broadcast is found, and its location link opens
// the item page with the player at that moment; a PDF hit opens the page it is on. Also: the
// files are served with ranges, so the player can seek.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startArchive } from './support.mjs';

let archive;
before(async () => { archive = await startArchive(); });
after(async () => { await archive?.stop(); });

// Types `query` into the search box of / and submits it; returns when the results are shown.
async function search(page, query) {
  await page.goto(`${archive.url}/`);
  await page.locator('#q').fill(query);
  await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === query),
                     page.getByRole('button', { name: 'Szukaj', exact: true }).click()]);
  await page.locator('#liczba-wynikow').waitFor();
}

// The hit (li.hit) whose title is `title`.
const hitNamed = (page, title) =>
  page.locator('li.hit').filter({ has: page.locator('.hit-title', { hasText: title }) });

// Waits until the player has its metadata and returns its state then.
async function playerState(page) {
  await page.waitForFunction(() => {
    const media = document.getElementById('odtwarzacz');
    return media && media.readyState >= 1 && !media.seeking;
  });
  return page.evaluate(() => {
    const media = document.getElementById('odtwarzacz');
    return { currentTime: media.currentTime, paused: media.paused, duration: media.duration,
             error: media.error && media.error.code, tag: media.tagName.toLowerCase() };
  });
}

describe('locations of hits', () => {
  it('a sentence of the spot (sidecar .srt) opens the player within its cue', async () => {
    const page = await archive.newDesktopPage();
    try {
      await search(page, 'Masz wolną godzinę w tygodniu');
      const hit = hitNamed(page, 'Zostań wolontariuszem – spot kampanii');
      const link = hit.getByRole('list', { name: 'Fragmenty nagrania z wynikiem' })
        .getByRole('link', { name: '00:01' });
      // The link carries the words; the sentence is the hit's snippet, said once.
      assert.match(await link.getAttribute('href'),
                   /^\/i\/zostan-wolontariuszem-spot-kampanii\?t=1&q=Masz%20/);
      assert.match(await hit.locator('.snippet').innerText(), /Masz wolną godzinę w tygodniu/);
      assert.equal((await hit.innerText()).split('Masz wolną godzinę').length - 1, 1);

      await Promise.all([page.waitForURL(/\/i\/zostan-wolontariuszem-spot-kampanii\?t=1&q=/),
                         link.click()]);
      assert.equal(await page.locator('h1').innerText(), 'Zostań wolontariuszem – spot kampanii');
      const state = await playerState(page);
      assert.equal(state.tag, 'video');
      assert.equal(state.error, null);
      assert.ok(Math.abs(state.duration - 16.2) < 0.2, `duration ${state.duration}`);
      assert.ok(state.currentTime >= 1.0 && state.currentTime <= 3.593,
                `currentTime ${state.currentTime} is not within the cue 1.000–3.593 s`);
      assert.equal(state.paused, true);
      // The transcript marks the cue at that moment; captions come from the sidecar.
      assert.match(await page.locator('.transcript li.current').innerText(),
                   /Masz wolną godzinę w tygodniu\?/);
      const track = page.locator('#odtwarzacz track[kind="captions"]');
      assert.equal(await track.getAttribute('srclang'), 'pl');
      const vtt = await page.evaluate(async (src) => {
        const response = await fetch(src);
        return { status: response.status, type: response.headers.get('content-type'),
                 body: await response.text() };
      }, await track.getAttribute('src'));
      assert.equal(vtt.status, 200);
      assert.match(vtt.type, /^text\/vtt/);
      assert.match(vtt.body, /^WEBVTT/);
      assert.match(vtt.body, /00:00:01\.000 --> 00:00:03\.593\nMasz wolną godzinę w tygodniu\?/);
    } finally {
      await page.context().close();
    }
  });

  it('a sentence of the TV broadcast (embedded subtitles) opens the player at 31 s', async () => {
    const page = await archive.newDesktopPage();
    try {
      await search(page, 'Asystent rodziny pracuje z rodziną w jej domu');
      const hit = hitNamed(page, 'Asystent rodziny – jak pomaga rodzinom w kryzysie');
      const link = hit.locator('.locations a[href*="?t=31&"]');
      assert.equal(await link.innerText(), '00:31');
      await Promise.all([page.waitForURL(/\?t=31&q=/), link.click()]);
      const state = await playerState(page);
      assert.equal(state.error, null);
      assert.ok(state.currentTime >= 31.0 && state.currentTime <= 36.87,
                `currentTime ${state.currentTime} is not within the cue 31.500–36.870 s`);
      assert.match(await page.locator('.transcript li.current').innerText(),
                   /Asystent rodziny pracuje z rodziną w jej domu, a nie za biurkiem\./);

      // With the script, a time in the transcript seeks in place and updates the URL.
      const cue = page.locator('.transcript a.seek', { hasText: '00:08' });
      await cue.click();
      await page.waitForURL(/\?t=8$/);
      await page.waitForFunction(() => {
        const media = document.getElementById('odtwarzacz');
        return !media.seeking && media.currentTime >= 8;
      });
      const t = await page.evaluate(() => document.getElementById('odtwarzacz').currentTime);
      assert.ok(t >= 8 && t < 14, `after seeking to 00:08 currentTime is ${t}`);
      assert.match(await page.locator('.transcript li.current').innerText(), /Pani Joanna/);
      // Chapters are listed with their times.
      assert.deepEqual((await page.locator('ol.chapters li').allTextContents())
                         .map((text) => text.replace(/\s+/g, ' ').trim()),
                       ['00:00 Zapowiedź', '00:08 Reportaż z Siedlec', '00:26 Rozmowa w studiu']);
    } finally {
      await page.context().close();
    }
  });

  it('a phrase on page 7 of the long report links "s. 7", and the PDF opens at #page=7', async () => {
    const page = await archive.newDesktopPage();
    try {
      await search(page, 'spółdzielnie socjalne na Mazowszu');
      const hit = hitNamed(page, 'Pomoc społeczna na Mazowszu 2007–2013');
      const link = hit.getByRole('list', { name: 'Strony z wynikiem' })
        .getByRole('link', { name: 's. 7', exact: true });
      const href = await link.getAttribute('href');
      assert.equal(new URL(href, archive.url).searchParams.get('page'), '7');
      await Promise.all([page.waitForURL((url) => url.searchParams.get('page') === '7'),
                         link.click()]);
      const open = page.getByRole('link', { name: 'Otwórz PDF' }).first();
      const target = await open.getAttribute('href');
      assert.match(target, /^\/files\/[^/#?]+#page=7$/);
      // The page is shown as a picture, the searched words marked on it.
      const picture = page.locator('figure.page-image img');
      assert.match(await picture.getAttribute('src'), /\/strony\/7\.png\?q=sp%C3%B3%C5%82dzielnie/);
      await page.waitForFunction(() => document.querySelector('figure.page-image img').complete);
      assert.equal(await picture.evaluate((img) => img.naturalWidth), 1000);
      assert.equal(await page.locator('#strona').inputValue(), '7');
      const pageText = page.locator('details.page-text');
      assert.match(await pageText.locator('summary').innerText(), /Tekst strony 7/);
      // Folded under the picture, the page's text is the picture's description.
      assert.match(await pageText.textContent(), /spółdzielnie socjalne na Mazowszu/i);
      assert.equal(await picture.getAttribute('aria-describedby'), 'tekst-strony');

      // The file itself is the PDF.
      const file = await page.evaluate(async (url) => {
        const response = await fetch(url);
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { status: response.status, type: response.headers.get('content-type'),
                 magic: String.fromCharCode(...bytes.slice(0, 5)) };
      }, target.replace(/#.*/, ''));
      assert.deepEqual(file, { status: 200, type: 'application/pdf', magic: '%PDF-' });

      // "Przejdź do strony" shows another page.
      await page.locator('#strona').fill('8');
      await Promise.all([page.waitForURL((url) => url.searchParams.get('page') === '8'),
                         page.getByRole('button', { name: 'Pokaż' }).click()]);
      assert.match(await page.getByRole('link', { name: 'Otwórz PDF' }).first().getAttribute('href'),
                   /#page=8$/);
      assert.match(await page.locator('details.page-text').textContent(), /wolontariusze z Radomia/);
    } finally {
      await page.context().close();
    }
  });
});

describe('files', () => {
  it('a video answers a Range request with 206 and exactly the bytes asked for', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}/i/zostan-wolontariuszem-spot-kampanii`);
      const file = await page.locator('.player-tools a', { hasText: 'Pobierz plik' }).getAttribute('href');
      assert.match(file, /^\/files\/[^/#?]+$/);
      const ranged = await page.evaluate(async (url) => {
        const response = await fetch(url, { cache: 'no-store', headers: { Range: 'bytes=0-99' } });
        const body = new Uint8Array(await response.arrayBuffer());
        return { status: response.status, length: body.length,
                 range: response.headers.get('content-range'),
                 acceptRanges: response.headers.get('accept-ranges'),
                 ftyp: String.fromCharCode(...body.slice(4, 8)) };
      }, file);
      assert.equal(ranged.status, 206);
      assert.equal(ranged.length, 100);
      assert.match(ranged.range, /^bytes 0-99\/\d+$/);
      assert.equal(ranged.ftyp, 'ftyp');
      const size = Number(ranged.range.split('/')[1]);

      // A range in the middle, and one past the end. (no-store: Chromium's HTTP cache would
      // otherwise answer from the parts it holds and rewrite the server's 416.)
      const tail = await page.evaluate(async ([url, from]) => {
        const middle = await fetch(url, { cache: 'no-store', headers: { Range: `bytes=${from}-` } });
        const past = await fetch(url, { cache: 'no-store', headers: { Range: `bytes=${from * 10}-` } });
        return { status: middle.status, length: (await middle.arrayBuffer()).byteLength,
                 pastStatus: past.status, pastRange: past.headers.get('content-range') };
      }, [file, Math.floor(size / 2)]);
      assert.equal(tail.status, 206);
      assert.equal(tail.length, size - Math.floor(size / 2));
      assert.equal(tail.pastStatus, 416);
      assert.equal(tail.pastRange, `bytes */${size}`);
    } finally {
      await page.context().close();
    }
  });
});

describe('without JavaScript', () => {
  it('the search, the filters and the moment links still work', async () => {
    const page = await archive.newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10000);
    try {
      await search(page, 'Masz wolną godzinę w tygodniu');
      assert.equal(await page.locator('#q').getAttribute('role'), null);  // no combobox without JS
      await page.locator('input[name="type"][value="film"]').check();
      await Promise.all([page.waitForURL(/type=film/),
                         page.getByRole('button', { name: 'Zastosuj filtry' }).click()]);
      assert.equal(await page.locator('#liczba-wynikow').innerText(), 'Znaleziono 1 materiał');
      const link = page.locator('.locations a', { hasText: '00:01' });
      await Promise.all([page.waitForURL(/\?t=1&q=/), link.click()]);
      // The start comes from the #t= media fragment on the source, not from the script.
      assert.match(await page.locator('#odtwarzacz').getAttribute('src'), /^\/files\/[^#]+#t=1$/);
      const state = await playerState(page);
      assert.ok(state.currentTime >= 1.0 && state.currentTime <= 3.593, `currentTime ${state.currentTime}`);
      // The copy button needs the script, so it stays hidden.
      assert.equal(await page.locator('#kopiuj-chwile').isVisible(), false);
    } finally {
      await page.context().close();
    }
  });

  it('/i/{id}?t=N redirects to /i/{slug}?t=N, keeping the moment', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie`);
      const id = (await page.locator('.player-tools a', { hasText: 'Pobierz plik' }).getAttribute('href'))
        .replace('/files/', '');
      const response = await page.goto(`${archive.url}/i/${id}?t=33`);
      assert.equal(response.request().redirectedFrom()?.url(), `${archive.url}/i/${id}?t=33`);
      assert.equal(new URL(page.url()).pathname, '/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie');
      assert.equal(new URL(page.url()).searchParams.get('t'), '33');
      const state = await playerState(page);
      assert.ok(state.currentTime >= 33 && state.currentTime < 36.87, `currentTime ${state.currentTime}`);
    } finally {
      await page.context().close();
    }
  });
});
