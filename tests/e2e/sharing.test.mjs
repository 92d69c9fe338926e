// The "done when" for sharing: a clip link (?t=START,END) plays just its range in a real
// browser, the share controls copy a link of a range, and the embed page plays inside an
// <iframe> of another site, while the item page itself refuses to be framed there.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { axeViolations, startArchive } from './support.mjs';

const SPOT = '/i/zostan-wolontariuszem-spot-kampanii';

let archive;
let otherSite;  // another origin, whose page frames the archive's pages
before(async () => {
  archive = await startArchive();
  otherSite = createServer((request, response) => {
    const src = new URL(request.url, 'http://x').searchParams.get('src');
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><html lang="pl"><title>Kampania</title>
      <iframe id="osadzony" title="Nagranie" width="640" height="400" src="${src}"></iframe>`);
  });
  await new Promise((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await archive?.stop();
  await new Promise((resolve) => (otherSite ? otherSite.close(resolve) : resolve()));
});

// Plays the player of `frame` (a page or a frame) and waits until it pauses by itself.
async function playUntilPaused(frame) {
  await frame.waitForFunction(() => {
    const media = document.getElementById('odtwarzacz');
    return media && media.readyState >= 1 && !media.seeking;
  });
  const started = await frame.evaluate(async () => {
    const media = document.getElementById('odtwarzacz');
    media.muted = true;
    await media.play();
    return media.currentTime;
  });
  // Polled from here: a page without its own JavaScript runs no waitForFunction polling.
  for (let waited = 0; waited < 15000; waited += 100) {
    const paused = await frame.evaluate(() => {
      const media = document.getElementById('odtwarzacz');
      return media.paused && media.currentTime > 0;
    });
    if (paused) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const state = await frame.evaluate(() => {
    const media = document.getElementById('odtwarzacz');
    return { currentTime: media.currentTime, paused: media.paused, ended: media.ended };
  });
  return { started, ...state };
}

describe('clips', () => {
  it('a link ?t=2,4 starts the spot at 2 s and stops it at 4 s', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${SPOT}?t=2,4`);
      const state = await playUntilPaused(page);
      assert.ok(state.started >= 2 && state.started < 2.6, `started at ${state.started}`);
      assert.ok(state.currentTime >= 3.9 && state.currentTime <= 4.3,
                `paused at ${state.currentTime}, not at the clip's end (4 s)`);
      assert.equal(state.ended, false);
      // Playing on after the clip's end is the visitor's choice: it does not stop again.
      const later = await page.evaluate(async () => {
        const media = document.getElementById('odtwarzacz');
        await media.play();
        await new Promise((resolve) => setTimeout(resolve, 800));
        return { currentTime: media.currentTime, paused: media.paused };
      });
      assert.ok(later.currentTime > 4.4 && !later.paused, JSON.stringify(later));
    } finally {
      await page.context().close();
    }
  });

  it('without JavaScript the media fragment #t=2,4 still stops the spot at 4 s', async () => {
    const page = await archive.newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10000);
    try {
      await page.goto(`${archive.url}${SPOT}?t=2,4`);
      assert.match(await page.locator('#odtwarzacz').getAttribute('src'), /#t=2,4$/);
      assert.equal(await page.locator('#udostepnij').isVisible(), false);
      // Playwright's evaluate runs even where the page's own scripts do not.
      const state = await playUntilPaused(page);
      assert.ok(state.currentTime >= 3.9 && state.currentTime <= 4.5,
                `paused at ${state.currentTime}, not at the clip's end (4 s)`);
    } finally {
      await page.context().close();
    }
  });

  it('the share controls copy a link of the range they are given', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${SPOT}?t=2,4`);
      const share = page.getByRole('group', { name: 'Udostępnij fragment' });
      await share.waitFor();
      assert.equal(await share.getByLabel('Początek').inputValue(), '00:02');
      assert.equal(await share.getByLabel('Koniec').inputValue(), '00:04');

      await share.getByLabel('Koniec').fill('0:09.5');
      await share.getByRole('button', { name: 'Kopiuj link do fragmentu' }).click();
      const status = page.locator('#kopiuj-status');
      await assert.doesNotReject(status.filter({ hasText: '?t=2,9.5' }).waitFor());
      assert.match(await status.innerText(),
                   new RegExp(`link: ${archive.url}${SPOT}\\?t=2,9\\.5$`));

      // The player's moment fills a field; an end before the start is refused, in words.
      await page.evaluate(() => { document.getElementById('odtwarzacz').currentTime = 1; });
      await share.getByRole('button', { name: 'Koniec w tej chwili' }).click();
      assert.equal(await share.getByLabel('Koniec').inputValue(), '00:01');
      await share.getByRole('button', { name: 'Kopiuj link do fragmentu' }).click();
      await status.filter({ hasText: 'Koniec fragmentu musi być później' }).waitFor();

      await share.getByLabel('Koniec').fill('0:06');
      await share.getByRole('button', { name: 'Kopiuj kod do osadzenia na stronie' }).click();
      await status.filter({ hasText: '<iframe' }).waitFor();
      assert.match(await status.innerText(),
                   new RegExp(`<iframe src="${archive.url}${SPOT}/embed\\?t=2,6" title="`));
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await page.context().close();
    }
  });
});

describe('the embed', () => {
  it('plays its clip inside another site\'s iframe', async () => {
    const page = await archive.newDesktopPage();
    try {
      const embed = `${archive.url}${SPOT}/embed?t=1,3`;
      const host = `http://127.0.0.1:${otherSite.address().port}/?src=${encodeURIComponent(embed)}`;
      await page.goto(host.replace('127.0.0.1', 'localhost'));
      const frameElement = await page.waitForSelector('#osadzony');
      const frame = await frameElement.contentFrame();
      await frame.waitForLoadState();
      assert.equal(frame.url(), embed);
      assert.equal(await frame.locator('video#odtwarzacz track[kind="captions"]').count(), 1);
      assert.equal(await frame.getByRole('link').first().getAttribute('href'), SPOT);
      const state = await playUntilPaused(frame);
      assert.ok(state.started >= 1 && state.started < 1.6, `started at ${state.started}`);
      assert.ok(state.currentTime >= 2.9 && state.currentTime <= 3.3,
                `paused at ${state.currentTime}, not at the clip's end (3 s)`);
    } finally {
      await page.context().close();
    }
  });

  it('the item page itself is refused in another site\'s iframe', async () => {
    const page = await archive.newDesktopPage();
    try {
      const host = `http://localhost:${otherSite.address().port}/?src=` +
        encodeURIComponent(`${archive.url}${SPOT}`);
      await page.goto(host);
      const frame = await (await page.waitForSelector('#osadzony')).contentFrame();
      await frame.waitForLoadState();
      assert.equal(await frame.locator('#odtwarzacz').count(), 0, `the frame shows ${frame.url()}`);
    } finally {
      await page.context().close();
    }
  });

  it('is accessible on its own', async () => {
    const page = await archive.newDesktopPage();
    try {
      await page.goto(`${archive.url}${SPOT}/embed`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await page.context().close();
    }
  });
});
