// Shared set-up for the end-to-end tests: an index of the sample collection, a running
// mediateka-server on a free 127.0.0.1 port, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run these tests through ctest)`);
  return value;
};

export async function startArchive() {
  const source = env('MEDIATEKA_SOURCE_DIR');
  const dir = mkdtempSync(join(tmpdir(), 'mediateka-e2e-'));
  const db = join(dir, 'index');
  const config = join(source, 'config', 'mediateka.toml');
  const imported = spawnSync(env('MEDIATEKA_INDEX_BIN'),
    ['import', '--quiet', '--config', config, '--db', db,
     '--manifest', join(source, 'samples', 'manifest.csv')], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);

  const server = spawn(env('MEDIATEKA_SERVER_BIN'),
    ['--config', config, '--db', db, '--bind', '127.0.0.1', '--port', '0', '--threads', '2'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    lines.on('line', (line) => {
      const match = line.match(/listening on (http:\/\/\S+?)\/?$/);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    setTimeout(() => reject(new Error('server did not start in 15 s')), 15000);
  });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--autoplay-policy=no-user-gesture-required'],
  });

  return {
    url,
    browser,
    db,  // the index, for tests that make tokens (mediateka-index token create)
    // A page in a fresh context. bypassCSP: the pages' Content-Security-Policy allows only
    // this server's scripts, which would block the axe-core script axeViolations() injects.
    async newPage(options = {}) {
      const context = await browser.newContext({ bypassCSP: true, locale: 'pl-PL', ...options });
      return context.newPage();
    },
    // A desktop-sized page that waits at most 10 s for anything.
    async newDesktopPage() {
      const page = await this.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(10000);
      return page;
    },
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Runs axe-core in the page and returns its violations (WCAG 2.1 A and AA rules).
export async function axeViolations(page) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}
