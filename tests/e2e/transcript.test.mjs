// The transcript beside the player (issue 31): every cue a timed link; a click or Enter seeks
// the player; the cue being played is marked as playback goes on; typing in its search box
// filters the cues; ticking cues makes a ?t=START,END clip link — and without JavaScript the
// same list of links and a form that makes the clip link.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startArchive } from './support.mjs';

let archive;
before(async () => { archive = await startArchive(); });
after(async () => { await archive?.stop(); });

const TV = '/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie';

// The cues as the page lists them: start, end, text.
const cuesOf = (page) => page.locator('#lista-transkrypcji li[data-start]').evaluateAll((items) =>
  items.map((li) => ({ start: parseFloat(li.dataset.start), end: parseFloat(li.dataset.end),
                       text: li.querySelector('.cue-text').textContent })));

async function ready(page) {
  await page.waitForFunction(() => {
    const media = document.getElementById('odtwarzacz');
    return media && media.readyState >= 1 && !media.seeking;
  });
}

const currentTime = (page) =>
  page.evaluate(() => document.getElementById('odtwarzacz').currentTime);

describe('the transcript panel', () => {
  it('sits beside the player on a desktop, a list of every cue with its time', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${TV}`);
      const panel = page.getByRole('region', { name: 'Transkrypcja' });
      assert.equal(await panel.count(), 1);
      const cues = await cuesOf(page);
      assert.ok(cues.length >= 5, `${cues.length} cues`);
      const player = await page.locator('#odtwarzacz').boundingBox();
      const box = await panel.boundingBox();
      assert.ok(box.x >= player.x + player.width - 1, 'the transcript is to the right of the player');
      // Each cue's time is a link to that moment.
      const first = page.locator('#lista-transkrypcji li').nth(1).locator('a.seek');
      assert.equal(new URL(await first.getAttribute('href'), archive.url).searchParams.get('t'),
                   String(Math.floor(cues[1].start)));
    } finally {
      await page.context().close();
    }
  });

  it('a click or Enter on a cue seeks the player there, and the marked cue follows playback', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${TV}`);
      await ready(page);
      const cues = await cuesOf(page);
      const items = page.locator('#lista-transkrypcji li[data-start]');

      await items.nth(2).locator('a.seek').click();
      await page.waitForFunction((start) => {
        const media = document.getElementById('odtwarzacz');
        return !media.seeking && media.currentTime >= Math.floor(start);
      }, cues[2].start);
      const t = await currentTime(page);
      assert.ok(t >= Math.floor(cues[2].start) && t < cues[2].end + 1, `currentTime ${t}`);
      await page.waitForFunction(() => document.querySelector('#lista-transkrypcji li.current'));

      // With the keyboard: focus the time of cue 4 and press Enter.
      await items.nth(4).locator('a.seek').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((start) => {
        const media = document.getElementById('odtwarzacz');
        return !media.seeking && media.currentTime >= Math.floor(start);
      }, cues[4].start);
      assert.ok((await currentTime(page)) < cues[4].end + 1);

      // Playback moves the mark: the player jumps into cue 3 (as it would by playing on), and
      // the transcript marks cue 3, for screen readers too.
      await page.evaluate((t) => {
        const media = document.getElementById('odtwarzacz');
        media.pause();
        media.currentTime = t;
      }, (cues[3].start + cues[3].end) / 2);
      await page.waitForFunction(() =>
        document.querySelector('#lista-transkrypcji li.current')?.id === 'cue-3');
      assert.equal(await items.nth(3).getAttribute('aria-current'), 'true');
      assert.equal(await page.locator('#lista-transkrypcji li.current').count(), 1);

      // And while it plays: from just before cue 1 ends, the mark moves on to cue 2 by itself.
      await page.evaluate((t) => {
        const media = document.getElementById('odtwarzacz');
        media.muted = true;
        media.currentTime = t;
        return media.play();
      }, Math.max(cues[1].start, cues[1].end - 0.4));
      await page.waitForFunction(() =>
        document.querySelector('#lista-transkrypcji li.current')?.id === 'cue-2', null,
      { timeout: 8000 });
    } finally {
      await page.context().close();
    }
  });

  it('its search box filters the cues as one types', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${TV}`);
      const cues = await cuesOf(page);
      const word = 'asystent';
      const matching = cues.filter((c) => c.text.toLocaleLowerCase('pl').includes(word)).length;
      assert.ok(matching > 0 && matching < cues.length);
      await page.getByRole('searchbox', { name: 'Szukaj w transkrypcji' }).fill(word);
      await page.waitForFunction((n) =>
        document.querySelectorAll('#lista-transkrypcji li[data-start]:not(.filtered-out)').length === n,
      matching);
      assert.match(await page.locator('#transkrypcja-status').innerText(),
                   new RegExp(`Pokazano ${matching} z ${cues.length}`));
    } finally {
      await page.context().close();
    }
  });

  it('ticking cues makes a clip link ?t=START,END that plays just that span', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${TV}`);
      const cues = await cuesOf(page);
      assert.equal(await page.locator('#fragment').isVisible(), false);
      await page.getByRole('checkbox', { name: /Zaznacz do fragmentu/ }).nth(1).check();
      await page.getByRole('checkbox', { name: /Zaznacz do fragmentu/ }).nth(2).check();
      const link = page.locator('#link-fragmentu');
      await link.waitFor({ state: 'visible' });
      const expected = `${Math.floor(cues[1].start)},${Math.round(cues[2].end * 1000) / 1000}`;
      const href = await link.getAttribute('href');
      assert.equal(new URL(href).searchParams.get('t'), expected);
      assert.equal(await link.innerText(), href);
      assert.equal(await page.getByRole('button', { name: 'Kopiuj link do fragmentu' }).last().isVisible(), true);

      await page.goto(href);
      await ready(page);
      const t = await currentTime(page);
      assert.ok(t >= Math.floor(cues[1].start) && t < cues[1].end, `the clip starts at ${t}`);
      assert.equal(await page.locator('#odtwarzacz').getAttribute('data-end'),
                   String(Math.round(cues[2].end * 1000) / 1000));
    } finally {
      await page.context().close();
    }
  });

  it('without JavaScript: timed links, and a form that makes the clip link', async () => {
    const page = await archive.newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(10000);
    try {
      await page.goto(`${archive.url}${TV}`);
      const cues = await cuesOf(page);
      const second = page.locator('#lista-transkrypcji li').nth(1).locator('a.seek');
      assert.match(await second.getAttribute('href'), new RegExp(`\\?t=${Math.floor(cues[1].start)}$`));
      await page.locator('#zaznacz-1').check();
      await page.locator('#zaznacz-3').check();
      await Promise.all([page.waitForURL(/cue=1&cue=3/),
                         page.getByRole('button', { name: 'Utwórz link do zaznaczonego fragmentu' }).click()]);
      const href = await page.locator('#link-fragmentu').getAttribute('href');
      assert.equal(new URL(href, archive.url).searchParams.get('t'),
                   `${Math.floor(cues[1].start)},${Math.round(cues[3].end * 1000) / 1000}`);
      assert.equal(await page.locator('#fragment').isVisible(), true);
    } finally {
      await page.context().close();
    }
  });
});
