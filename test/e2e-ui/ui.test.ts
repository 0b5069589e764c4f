/**
 * The UI end to end, in headless Debian Chromium against the built app, real Postgres, profiles pushed
 * through the API and a real worker: what an on-call engineer does, step by step, with a screenshot
 * of each view in test/out/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../helpers/browser';
import { fixtureBody } from '../helpers/api';
import { PER_PERIOD, INSTANCES, SELECTOR, startWorld, type World } from './setup';

const SETUP_TIMEOUT_MS = 15 * 60_000;
const STEP_TIMEOUT_MS = 60_000;
const ROW = 18;
// The page renders after API answers that a shared CI machine may take seconds to give.
const poll = <T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) => expect.poll(read, { timeout: 15_000, ...options });

describe('the web UI', () => {
  let world: World;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    world = await startWorld();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await world?.dispose();
  });

  const url = (path = '') => `${world.app.url}${path}`;
  const dotsAt = (times: number[]) => page.locator(times.map((t) => `[data-testid=timeline-dot][data-time="${t}"]`).join(', '));

  /** Drags across the timeline from just before the first to just after the last of `times`. */
  async function brush(times: number[]) {
    const boxes = await Promise.all((await dotsAt(times).all()).map((dot) => dot.boundingBox()));
    const xs = boxes.map((b) => b!.x + b!.width / 2);
    const brushArea = (await page.locator('[data-testid=timeline-brush]').first().boundingBox())!;
    const y = brushArea.y + brushArea.height - 6;
    await page.mouse.move(Math.min(...xs) - 8, y);
    await page.mouse.down();
    await page.mouse.move(Math.max(...xs) + 8, y, { steps: 8 });
    await page.mouse.up();
  }

  async function flameBox() {
    const canvas = page.locator('[data-testid=flame-canvas]').first();
    await canvas.waitFor();
    return (await canvas.boundingBox())!;
  }

  it('says what to expect on a first run, then offers the stored profile types', async () => {
    await page.goto(url('/'));
    await page.getByTestId('first-run').waitFor();
    expect(await page.getByTestId('first-run').innerText()).toContain('the first profiles arrive within a minute');
    await screenshot(page, '00-first-run');
    await world.pushProfiles();
    await page.reload();
    await page.getByTestId('profile-types').getByRole('button', { name: 'profile' }).waitFor();
    await screenshot(page, '01-profile-types');
  }, STEP_TIMEOUT_MS);

  it('completes a selector from the labels and values stored, and runs it with Enter', async () => {
    const options = page.locator('.cm-tooltip-autocomplete li');
    // CodeMirror ignores Enter for a moment after its menu opens (so a fast Enter is not taken as a pick).
    const pick = async (option: string) => {
      await poll(() => options.allInnerTexts()).toContain(option);
      await page.waitForTimeout(150);
      await page.keyboard.press('Enter');
    };
    await page.getByTestId('selector-editor').click();
    await page.keyboard.type('prof');
    await pick('profile');
    await page.keyboard.type('{');
    await poll(() => options.allInnerTexts()).toEqual(['instance', 'job']);
    await page.keyboard.type('jo');
    await pick('job');
    await page.keyboard.type('=');
    await poll(() => options.allInnerTexts()).toEqual(['checkout']);
    await screenshot(page, '02-autocomplete');
    await pick('checkout');
    await poll(() => page.locator('.cm-content').innerText()).toBe(SELECTOR);
    await page.keyboard.press('Enter');
    await poll(() => new URL(page.url()).searchParams.get('query')).toBe(SELECTOR);
  }, STEP_TIMEOUT_MS);

  it('shows one dot per stored profile on the timeline', async () => {
    await poll(() => page.locator('[data-testid=timeline-dot]').count()).toBe(2 * PER_PERIOD * Object.keys(INSTANCES).length);
    await dotsAt([world.lateTimes[0]]).first().hover();
    await poll(() => page.getByTestId('timeline-tooltip').innerText()).toMatch(/job="checkout"[\s\S]*instance="[ab]"|instance="[ab]"[\s\S]*job="checkout"/);
    await screenshot(page, '03-timeline');
  }, STEP_TIMEOUT_MS);

  it('opens a profile from its dot: flame graph and table, json.Marshal on top', async () => {
    // Instance a's dot: the higher of the two at that time, as a does twice b's work.
    const dots = await dotsAt([world.earlyTimes[0]]).all();
    const ys = await Promise.all(dots.map(async (dot) => (await dot.boundingBox())!.y));
    await dots[ys.indexOf(Math.min(...ys))].click();
    await flameBox();
    await poll(() => page.getByTestId('function-row').first().innerText()).toContain('json.Marshal');
    expect(await page.getByTestId('profile-summary').innerText()).toContain('Total: 10 s');
    await screenshot(page, '04-profile');
  }, STEP_TIMEOUT_MS);

  it('zooms into a frame, searches, and keeps both in a link that reloads to the same view', async () => {
    // Icicle rows: root, main, then main's children by name: checkout.handle (90%), runtime.gcBgMarkWorker.
    const box = await flameBox();
    await page.mouse.move(box.x + box.width * 0.45, box.y + 2.5 * ROW);
    await poll(() => page.getByTestId('flame-tooltip').innerText()).toMatch(/checkout\.handle[\s\S]*9 s · 90%/);
    await page.mouse.click(box.x + box.width * 0.45, box.y + 2.5 * ROW);
    await poll(() => page.getByTestId('flame-crumb').allInnerTexts()).toEqual(expect.arrayContaining(['checkout.handle']));
    await poll(() => new URL(page.url()).searchParams.get('zoom')).toBe('main;checkout.handle');

    await page.keyboard.press('/');
    await page.keyboard.type('json');
    await poll(() => page.getByTestId('flame-search-summary').innerText()).toMatch(/1 matching frame.*60%/);
    await poll(() => new URL(page.url()).searchParams.get('search')).toBe('json');
    await screenshot(page, '05-zoom-search');

    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await poll(() => page.getByTestId('flame-search-summary').innerText()).toMatch(/1 matching frame.*60%/);
    expect(await page.getByTestId('flame-crumb').allInnerTexts()).toEqual(expect.arrayContaining(['checkout.handle']));

    await page.keyboard.press('Escape');
    await poll(() => new URL(page.url()).searchParams.get('zoom')).toBeNull();
  }, STEP_TIMEOUT_MS);

  it('merges a brushed range and says how many profiles it merged', async () => {
    await brush(world.earlyTimes);
    await poll(() => page.getByTestId('profile-summary').innerText()).toContain(`Merged: ${PER_PERIOD * Object.keys(INSTANCES).length} profiles`);
    await poll(() => page.getByTestId('profile-summary').innerText()).toContain('Total: 75 s');
    await screenshot(page, '06-merge');

    // The download is the merged pprof file; "copy curl" fetches the same; "copy link" is this view.
    const download = await fetch(new URL((await page.getByTestId('download').getAttribute('href'))!, url()));
    expect([download.status, download.headers.get('content-disposition')]).toEqual([200, 'attachment; filename=profile.pb.gz']);
    expect([...new Uint8Array(await download.arrayBuffer()).slice(0, 2)]).toEqual([0x1f, 0x8b]);
    await page.getByTestId('copy-curl').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^curl -gs 'http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query\?mode=merge&.*report=proto'$/);
    await page.getByTestId('copy-link').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
  }, STEP_TIMEOUT_MS);

  it('compares two ranges: a diff flame graph and the change per function', async () => {
    await page.getByTestId('compare').click();
    await page.getByTestId('compare-bar').waitFor();
    await brush(world.lateTimes);
    const row = page.getByTestId('function-row').filter({ hasText: 'json.Marshal' });
    await poll(() => row.first().innerText()).toContain('+67.5 s');
    await poll(() => page.getByTestId('function-row').filter({ hasText: 'db.Query' }).first().innerText()).toContain('\u22127.5 s');
    await screenshot(page, '07-compare');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, '07-compare-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.reload();
    await poll(() => row.first().innerText()).toContain('+67.5 s');
    await page.goBack();
    await poll(() => new URL(page.url()).searchParams.get('b_from')).toBeNull();
  }, STEP_TIMEOUT_MS);

  it('shows a function between its callers and callees', async () => {
    await page.goto(url(`/?query=${encodeURIComponent(SELECTOR)}&time=${world.earlyTimes[0]}&view=sandwich&fn=checkout.handle`));
    await page.getByTestId('sandwich').waitFor();
    expect(await page.locator('[data-testid=sandwich] [data-testid=flame-canvas]').count()).toBe(2);
    await screenshot(page, '08-sandwich');
  }, STEP_TIMEOUT_MS);

  it("draws a real Go CPU profile and agrees with go tool pprof's top", async () => {
    const time = world.earlyTimes[0];
    const params = new URLSearchParams({ series: 'profile{job="node-exporter"}', timestamp: String(time) });
    const stored = await fetch(url(`/api/v1/ingest?${params}`), { method: 'POST', body: fixtureBody('flameshow__profile-10seconds.out') });
    expect(stored.status).toBe(200);
    await page.goto(url(`/?query=${encodeURIComponent('profile{job="node-exporter"}')}&time=${time}&sample_type=cpu%2Fnanoseconds`));
    await flameBox();
    // go tool pprof -top: 690ms in all, runtime.epollwait first (tied on flat with others, which follow by name).
    await poll(() => page.getByTestId('profile-summary').innerText()).toContain('Total: 690 ms');
    await poll(() => page.getByTestId('function-row').first().innerText()).toMatch(/50 ms\s+7.25%\s+50 ms\s+7.25%\s+runtime.epollwait/);
    await screenshot(page, '10-real-profile');
  }, STEP_TIMEOUT_MS);

  it('lists a target the worker scrapes and a failing one with its error', async () => {
    await page.goto(url('/targets'));
    const shop = page.locator('[data-testid=target-group][data-job=shop] [data-testid=target-row]');
    const broken = page.locator('[data-testid=target-group][data-job=broken]');
    await poll(() => shop.first().getAttribute('data-health'), { timeout: 30_000 }).toBe('up');
    await poll(() => broken.getByTestId('target-error').first().innerText(), { timeout: 30_000 }).toContain('heap profiling is disabled on this build');
    await screenshot(page, '09-targets');
  }, STEP_TIMEOUT_MS);
});
