// Screenshots for docs/web-pages.md, taken only with E2E_SCREENSHOTS=1 (so a CI run does not
// rewrite the committed images):
//   E2E_SCREENSHOTS=1 ctest -R e2e_browser   (or node --test tests/e2e/screenshots.test.mjs)
// They go to docs/screenshots/ of the source tree.
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startArchive } from './support.mjs';

const enabled = process.env.E2E_SCREENSHOTS === '1';
const skip = enabled ? false : 'set E2E_SCREENSHOTS=1 to write docs/screenshots/';

let archive, folder;
before(async () => {
  if (!enabled) return;
  archive = await startArchive();
  folder = join(process.env.MEDIATEKA_SOURCE_DIR, 'docs', 'screenshots');
  mkdirSync(folder, { recursive: true });
});
after(async () => { await archive?.stop(); });

const sizes = {
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

async function shoot(name, size, path, prepare) {
  const page = await archive.newPage(sizes[size]);
  page.setDefaultTimeout(10000);
  try {
    await page.goto(`${archive.url}${path}`);
    await page.waitForLoadState('load');
    if (prepare) await prepare(page);
    const file = join(folder, `${name}-${size}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    const bytes = statSync(file).size;
    assert.ok(bytes < 300 * 1024, `${file} is ${bytes} bytes`);
  } finally {
    await page.context().close();
  }
}

// The video shows its frame at ?t= and the caption of that moment (33 s: within cue 7, which
// starts at 31.5 s; the results' link ?t=31 lands just before it): wait until it has data
// beyond that moment (no loading spinner) and the cue is active, then for two frames.
async function videoReady(page) {
  await page.waitForFunction(() => {
    const media = document.getElementById('odtwarzacz');
    const track = media.textTracks[0];
    return media.readyState >= 3 && !media.seeking && track && track.activeCues &&
           track.activeCues.length > 0;
  });
  await page.evaluate(() => new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('screenshots for docs/', { skip }, () => {
  for (const size of Object.keys(sizes)) {
    it(`search results, ${size}`, () => shoot('search', size, '/?q=wolontariusz'));
    it(`video item page, ${size}`, () =>
      shoot('item-video', size, '/i/asystent-rodziny-jak-pomaga-rodzinom-w-kryzysie?t=33', videoReady));
  }
});
