/**
 * UI speed benchmark (`npm run bench -- ui`): the built web app (`next start`, built first when stale,
 * as the end-to-end tests do) in headless Debian Chromium through playwright-core, against a scratch
 * database on the Postgres server at PROFD_BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards. One CPU profile, pushed through
 * `POST /api/v1/ingest`, whose flame graph keeps 20,545 nodes after the UI's trimming, is opened
 * with `view=flame`, and the page's own User Timing marks are read: `profd:flame-data` (its JSON is
 * in), `profd:flame-drawn` (after each full draw, `{nodes, ms}`) and `profd:flame-hover` (`{ms}`).
 * Medians of 11 runs of:
 * - the first frame: data in → first full draw (goal ≤ 100 ms), and the draw's own ms;
 * - zooming into a frame by a click, and back out by a click on the root: the redraw's own ms
 *   (goal ≤ 16 ms), and click → drawn;
 * - hovering frames: the hover redraw's own ms (goal ≤ 16 ms);
 * - the JavaScript a first visit to `/` loads, raw and gzipped: Next.js/React's runtime chunks, the
 *   page's own chunks, and in them our code (an esbuild bundle of the page's client modules with the
 *   packages left out: an estimate, as Turbopack's chunks name no modules).
 * "Painted" figures run to the first task after the next animation frame (requestAnimationFrame,
 * then a MessageChannel message): the browser has then produced the frame that shows the change.
 * The peer is d3-flame-graph (SVG, d3 v7) drawing the same tree at the same width and row height, in a
 * static page this bench serves, timed the same way: its render call and its click-to-zoom, then the
 * first painted frame after its (zero-length) transitions have applied.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { FLAME_ROW_HEIGHT, MIN_FRAME_WIDTH } from '../lib/flame/layout';
import type { FlameTree } from '../lib/flame/tree';
import { ensureFreshBuild, startApp, type AppServer } from '../test/helpers/app-server';
import { launchChromium } from '../test/helpers/browser';
import { loadAverage, median, printFigures, printTable, type BenchRow } from './lib';
import { withScratchDatabase } from './scratch-database';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 11;
const SELECTOR = 'profile{job="uibench"}';
/** The UI's NODE_FRACTION (app/ui/query/ProfilePanel.tsx): the API is asked for the same trimming. */
const NODE_FRACTION = 0.0001;
const MIN_NODES = 20_000;
/**
 * The pushed tree: a program fanning out 4 × 5 × 6 × 10 ways to 1,200 call paths, each going on 16
 * frames deeper (20,545 nodes, 21 rows). Every leaf has 0.08% of the total, so the UI's trimming
 * keeps them all, and at 1,400 pixels each is over 1 px wide, so the canvas draws every one of them
 * (narrower frames can snap to no pixel and be skipped; the worst case is that none are).
 */
const FAN_OUT = [4, 5, 6, 10];
const CHAIN = 16;
const VIEWPORT = { width: 1440, height: 1000 };
const KB = 1024;

/** One User Timing mark the page made, with the input event before it and when its frame was painted. */
interface MarkRecord {
  name: string;
  time: number;
  detail: { nodes?: number; ms?: number } | null;
  input: number | null;
  painted: number | null;
}

/**
 * Injected into every page before its own scripts (as a string: tsx would add helpers to a function).
 * Records profd's marks and, for each, when the next frame has been painted; `afterPaint` and
 * `lastInput` (the last click or pointer move, in the same clock) serve the peer's page too.
 */
const INSTRUMENT = `(() => {
  const bench = { marks: [], lastInput: null };
  window.__bench = bench;
  bench.afterPaint = (done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
  for (const type of ['click', 'mousemove']) addEventListener(type, (event) => { bench.lastInput = event.timeStamp; }, { capture: true });
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name.startsWith('profd:')) {
      const record = { name, time: entry.startTime, detail: (options && options.detail) || null, input: bench.lastInput, painted: null };
      bench.marks.push(record);
      bench.afterPaint((t) => { record.painted = t; });
    }
    return entry;
  };
})();`;

/** The folded stacks of the pushed profile: one line per call path, equal weights (10 ms each). */
function foldedStacks(): string {
  const lines: string[] = [];
  const visit = (prefix: string[], level: number, path: string) => {
    if (level === FAN_OUT.length) {
      const chain = Array.from({ length: CHAIN }, (_, k) => `pkg${path}.step${k}`);
      lines.push(`${[...prefix, ...chain].join(';')} 10000000`);
      return;
    }
    for (let i = 0; i < FAN_OUT[level]; i++) {
      const id = `${path}_${i}`;
      visit([...prefix, `mod${id}.Serve${level}`], level + 1, id);
    }
  };
  visit([], 0, '');
  return lines.join('\n');
}

async function pushProfile(app: AppServer, timestamp: number): Promise<void> {
  const params = new URLSearchParams({ series: SELECTOR, timestamp: String(timestamp), format: 'folded', sample_type: 'cpu', unit: 'nanoseconds' });
  const reply = await fetch(`${app.url}/api/v1/ingest?${params}`, { method: 'POST', body: foldedStacks() });
  if (!reply.ok) throw new Error(`ingest failed: ${reply.status} ${await reply.text()}`);
}

/** The flame graph the UI asks for: the same request, so the same node count. */
async function fetchTree(app: AppServer, timestamp: number): Promise<FlameTree> {
  const params = new URLSearchParams({ query: SELECTOR, time: String(timestamp), mode: 'single', report: 'flamegraph', node_fraction: String(NODE_FRACTION) });
  const reply = await fetch(`${app.url}/api/v1/query?${params}`);
  if (!reply.ok) throw new Error(`query failed: ${reply.status} ${await reply.text()}`);
  const tree = (await reply.json()).data as FlameTree;
  if (tree.name.length < MIN_NODES) throw new Error(`the flame graph has ${tree.name.length} nodes after trimming, fewer than ${MIN_NODES}`);
  return tree;
}

const marksOf = (page: Page) => page.evaluate('window.__bench.marks') as Promise<MarkRecord[]>;

/** Waits until the page has made `count` marks named `name` and painted the last one's frame; returns it. */
async function waitForMark(page: Page, name: string, count: number): Promise<MarkRecord> {
  const named = JSON.stringify(name);
  await page.waitForFunction(
    `(() => { const m = window.__bench.marks.filter((r) => r.name === ${named}); return m.length >= ${count} && m[${count - 1}].painted !== null; })()`,
    undefined,
    { polling: 50, timeout: 30_000 },
  );
  return (await marksOf(page)).filter((m) => m.name === name)[count - 1];
}

interface FirstFrame {
  dataToDrawn: number;
  drawMs: number;
  dataToPainted: number;
  openToData: number;
  nodes: number;
}

/** Opens the profile in a fresh document and reads its first full draw after the data came in. */
async function openProfile(page: Page, url: string): Promise<FirstFrame> {
  await page.goto(url, { waitUntil: 'commit' });
  const drawn = await waitForMark(page, 'profd:flame-drawn', 1);
  const data = (await marksOf(page)).find((m) => m.name === 'profd:flame-data');
  if (!data || data.time > drawn.time) throw new Error('the flame graph drew before its data mark');
  return {
    dataToDrawn: drawn.time - data.time,
    drawMs: drawn.detail?.ms ?? NaN,
    dataToPainted: drawn.painted! - data.time,
    openToData: data.time,
    nodes: drawn.detail?.nodes ?? 0,
  };
}

interface Interaction {
  drawMs: number;
  inputToDrawn: number;
  inputToPainted: number;
  nodes: number;
}

function interaction(mark: MarkRecord): Interaction {
  if (mark.input === null) throw new Error(`${mark.name} came with no input event before it`);
  return { drawMs: mark.detail?.ms ?? NaN, inputToDrawn: mark.time - mark.input, inputToPainted: mark.painted! - mark.input, nodes: mark.detail?.nodes ?? 0 };
}

/** Where to click in the canvas: row `row` (icicle: root on top) at `share` of the width. */
function pointIn(box: { x: number; y: number; width: number }, row: number, share: number) {
  return { x: box.x + share * box.width, y: box.y + (row + 0.5) * FLAME_ROW_HEIGHT };
}

/**
 * Zooms into each of the root's children in turn (a click on row 1) and back out (a click on the
 * root), RUNS times each, reading the redraw after each click.
 */
async function zoomRuns(page: Page): Promise<{ zoomIn: Interaction[]; zoomOut: Interaction[] }> {
  const box = (await page.locator('[data-testid=flame-canvas]').first().boundingBox())!;
  const zoomIn: Interaction[] = [];
  const zoomOut: Interaction[] = [];
  let drawn = (await marksOf(page)).filter((m) => m.name === 'profd:flame-drawn').length;
  for (let i = 0; i < RUNS; i++) {
    for (const [list, point] of [
      [zoomIn, pointIn(box, 1, (0.5 + (i % FAN_OUT[0])) / FAN_OUT[0])],
      [zoomOut, pointIn(box, 0, 0.5)],
    ] as const) {
      await page.mouse.click(point.x, point.y);
      list.push(interaction(await waitForMark(page, 'profd:flame-drawn', ++drawn)));
      // Let the URL update and any follow-up render settle before the next click.
      await page.waitForTimeout(300);
      drawn = (await marksOf(page)).filter((m) => m.name === 'profd:flame-drawn').length;
    }
  }
  return { zoomIn, zoomOut };
}

/** Moves the pointer over 2 × RUNS frames of rows 1 to 3 in turn, reading each hover redraw. */
async function hoverRuns(page: Page): Promise<Interaction[]> {
  const box = (await page.locator('[data-testid=flame-canvas]').first().boundingBox())!;
  const hovers: Interaction[] = [];
  let count = (await marksOf(page)).filter((m) => m.name === 'profd:flame-hover').length;
  for (let i = 0; i < 2 * RUNS; i++) {
    const point = pointIn(box, 1 + (i % 3), 0.03 + 0.045 * i);
    await page.mouse.move(point.x, point.y);
    hovers.push(interaction(await waitForMark(page, 'profd:flame-hover', ++count)));
    await page.waitForTimeout(50);
    count = (await marksOf(page)).filter((m) => m.name === 'profd:flame-hover').length;
  }
  await page.mouse.move(0, 0);
  return hovers;
}

interface ScriptBytes {
  files: number;
  raw: number;
  gzip: number;
}

const sum = (bodies: Buffer[]): ScriptBytes => ({
  files: bodies.length,
  raw: bodies.reduce((n, b) => n + b.length, 0),
  gzip: bodies.reduce((n, b) => n + gzipSync(b).length, 0),
});

/**
 * The scripts a first visit to `/` loads (a fresh browser context, so nothing is cached), split into
 * Next.js/React's runtime chunks (the build manifest's root main files and polyfills) and the page's
 * own chunks; our share of the latter is estimated by bundling the page's client modules (from the
 * client reference manifest) with esbuild, minified, packages left out.
 */
async function scriptBytes(browser: Browser, app: AppServer): Promise<{ all: ScriptBytes; runtime: ScriptBytes; page: ScriptBytes; ours: ScriptBytes }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const bodies: Promise<[string, Buffer]>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body().then((body) => [new URL(response.url()).pathname, body]));
  });
  await page.goto(`${app.url}/`, { waitUntil: 'networkidle' });
  const scripts = await Promise.all(bodies);
  await context.close();
  const manifest = JSON.parse(readFileSync(join(ROOT, '.next/build-manifest.json'), 'utf8')) as { rootMainFiles: string[]; polyfillFiles: string[] };
  const runtimeFiles = new Set([...manifest.rootMainFiles, ...manifest.polyfillFiles].map((f) => `/_next/${f}`));
  return {
    all: sum(scripts.map(([, body]) => body)),
    runtime: sum(scripts.filter(([path]) => runtimeFiles.has(path)).map(([, body]) => body)),
    page: sum(scripts.filter(([path]) => !runtimeFiles.has(path)).map(([, body]) => body)),
    ours: ourClientCode(),
  };
}

function ourClientCode(): ScriptBytes {
  const manifest = readFileSync(join(ROOT, '.next/server/app/page_client-reference-manifest.js'), 'utf8');
  const entries = [...new Set([...manifest.matchAll(/\[project\]\/(app\/[^" <]+\.tsx?)/g)].map((m) => m[1]))];
  if (entries.length === 0) throw new Error('found no client modules of our own in the client reference manifest');
  const built = buildSync({
    entryPoints: entries.map((entry) => join(ROOT, entry)), bundle: true, minify: true, splitting: true, format: 'esm', packages: 'external',
    jsx: 'automatic', loader: { '.css': 'local-css' }, target: 'es2022', outdir: join(ROOT, '.bench-out'), write: false, logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return sum(built.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => Buffer.from(f.contents)));
}

/** d3-flame-graph's input: nested `{name, value, children}` with value the node's total. */
interface NestedFrame {
  name: string;
  value: number;
  children: NestedFrame[];
}

function nestedTree(tree: FlameTree): NestedFrame {
  const frames = tree.name.map((name, i) => ({ name: tree.names[name], value: tree.total[i], children: [] as NestedFrame[] }));
  for (let i = 1; i < frames.length; i++) frames[tree.parent[i]].children.push(frames[i]);
  return frames[0];
}

/**
 * The peer's page script. A render or zoom is done when d3's transitions (zero-length, so the figure
 * is work, not animation) have applied: they all share one schedule, so a few sampled frames tell.
 */
const PEER_ENTRY = `
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';
const bench = window.__bench;
const width = Number(new URLSearchParams(location.search).get('width'));
const settled = () => {
  const frames = document.querySelector('#chart svg').getElementsByTagName('g');
  const sample = [0, frames.length >> 1, frames.length - 1].map((i) => frames[i]);
  return sample.every((g) => g && !g.__transition && [...g.children].every((child) => !child.__transition && !(child.firstChild && child.firstChild.__transition)));
};
const whenSettled = (done) => bench.afterPaint((t) => (settled() ? done(t) : whenSettled(done)));
bench.zooms = [];
const chart = flamegraph()
  .width(width)
  .cellHeight(${FLAME_ROW_HEIGHT})
  .minFrameSize(${MIN_FRAME_WIDTH})
  .transitionDuration(0)
  .inverted(true)
  .onClick(() => {
    const zoom = { input: bench.lastInput, done: performance.now(), painted: null };
    bench.zooms.push(zoom);
    whenSettled((t) => { zoom.painted = t; });
  });
fetch('/tree.json').then((reply) => reply.json()).then((data) => {
  const start = performance.now();
  select('#chart').datum(data).call(chart);
  const done = performance.now();
  whenSettled((t) => { bench.render = { script: done - start, painted: t - start, frames: document.querySelectorAll('#chart g').length }; });
});
`;

/** Serves the peer's page, its bundle and the tree on a loopback port. */
async function servePeer(tree: FlameTree): Promise<{ url: string; close(): Promise<void> }> {
  const built = buildSync({
    stdin: { contents: PEER_ENTRY, resolveDir: ROOT, loader: 'js' }, bundle: true, minify: true, format: 'iife', target: 'es2022',
    outdir: join(ROOT, '.bench-out'), write: false, logLevel: 'warning',
  });
  const script = built.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const css = built.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:8px}${css}</style></head><body><div id="chart"></div><script src="/peer.js"></script></body></html>`;
  const json = JSON.stringify(nestedTree(tree));
  const files: Record<string, [string, string]> = { '/': ['text/html', html], '/peer.js': ['text/javascript', script], '/tree.json': ['application/json', json] };
  const server: Server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://peer').pathname];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' }).end(file?.[1] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface PeerRender {
  script: number;
  painted: number;
  frames: number;
}

interface PeerZoom {
  input: number;
  done: number;
  painted: number | null;
}

async function peerRuns(page: Page, url: string): Promise<{ renders: PeerRender[]; zoomIn: PeerZoom[]; zoomOut: PeerZoom[] }> {
  const renders: PeerRender[] = [];
  for (let i = 0; i <= RUNS; i++) {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction('window.__bench.render !== undefined', undefined, { polling: 50, timeout: 60_000 });
    const render = (await page.evaluate('window.__bench.render')) as PeerRender;
    if (i > 0) renders.push(render);
  }
  const box = (await page.locator('#chart svg').boundingBox())!;
  const zoomIn: PeerZoom[] = [];
  const zoomOut: PeerZoom[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [list, point] of [
      [zoomIn, pointIn(box, 1, (0.5 + (i % FAN_OUT[0])) / FAN_OUT[0])],
      [zoomOut, pointIn(box, 0, 0.5)],
    ] as const) {
      const count = list === zoomIn ? 2 * i + 1 : 2 * i + 2;
      await page.mouse.click(point.x, point.y);
      await page.waitForFunction(`window.__bench.zooms.length >= ${count} && window.__bench.zooms[${count - 1}].painted !== null`, undefined, { polling: 50, timeout: 30_000 });
      list.push(((await page.evaluate('window.__bench.zooms')) as PeerZoom[])[count - 1]);
      await page.waitForTimeout(300);
    }
  }
  return { renders, zoomIn, zoomOut };
}

const med = <T>(items: readonly T[], pick: (item: T) => number) => median(items.map(pick));
const goalRow = (figure: string, profd: number, goal: number): BenchRow => ({ figure, unit: 'ms', profd, peer: goal, peerName: 'goal', better: 'lower', goal: 1 });
const peerRow = (figure: string, profd: number, peer: number): BenchRow => ({ figure, unit: 'ms', profd, peer, peerName: 'd3-flame-graph', better: 'lower' });
const infoRow = (figure: string, unit: string, profd: number): BenchRow => ({ figure, unit, profd, peer: null, better: 'lower' });
const kb = (bytes: number) => bytes / KB;

console.log(`before: ${loadAverage()}`);
const buildStart = performance.now();
ensureFreshBuild();
console.log(`web app build checked (and made if stale) in ${((performance.now() - buildStart) / 1000).toFixed(0)} s`);

await withScratchDatabase('ui', async (databaseUrl) => {
  const app = await startApp(databaseUrl);
  let browser: Browser | null = null;
  let peer: Awaited<ReturnType<typeof servePeer>> | null = null;
  try {
    const timestamp = Date.now() - 5 * 60_000;
    await pushProfile(app, timestamp);
    const tree = await fetchTree(app, timestamp);
    console.log(`profile: ${tree.name.length} flame graph nodes after the UI's trimming (node_fraction ${NODE_FRACTION}), depth ${Math.max(...tree.depth) + 1}`);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    const profileUrl = `${app.url}/?${new URLSearchParams({ query: SELECTOR, time: String(timestamp), view: 'flame' })}`;
    const opens: FirstFrame[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const open = await openProfile(page, profileUrl);
      if (i > 0) opens.push(open);
    }
    const width = (await page.locator('[data-testid=flame-canvas]').first().boundingBox())!.width;
    console.log(`flame graph: ${width} CSS px wide; first draw put ${med(opens, (o) => o.nodes)} frames on the canvas; page open → data in: median ${med(opens, (o) => o.openToData).toFixed(0)} ms`);
    const { zoomIn, zoomOut } = await zoomRuns(page);
    console.log(`zoom: into a child of the root draws ${med(zoomIn, (z) => z.nodes)} frames, back to the root ${med(zoomOut, (z) => z.nodes)}`);
    const hovers = await hoverRuns(page);
    const bytes = await scriptBytes(browser, app);

    peer = await servePeer(tree);
    const peerPage = await context.newPage();
    const peerResult = await peerRuns(peerPage, `${peer.url}/?width=${width}`);
    console.log(`d3-flame-graph: ${med(peerResult.renders, (r) => r.frames)} <g> frames in its SVG`);

    const rows: BenchRow[] = [
      goalRow(`first frame of a ${tree.name.length}-node tree: data in → drawn`, med(opens, (o) => o.dataToDrawn), 100),
      infoRow('  the draw itself', 'ms', med(opens, (o) => o.drawMs)),
      peerRow('  data in → drawn (peer: its render call)', med(opens, (o) => o.dataToDrawn), med(peerResult.renders, (r) => r.script)),
      peerRow('  data in → frame painted', med(opens, (o) => o.dataToPainted), med(peerResult.renders, (r) => r.painted)),
      goalRow('zoom into a frame: the redraw', med(zoomIn, (z) => z.drawMs), 16),
      peerRow('  click → drawn (peer: its click handler)', med(zoomIn, (z) => z.inputToDrawn), med(peerResult.zoomIn, (z) => z.done - z.input)),
      peerRow('  click → frame painted', med(zoomIn, (z) => z.inputToPainted), med(peerResult.zoomIn, (z) => z.painted! - z.input)),
      goalRow('zoom out to the root: the redraw', med(zoomOut, (z) => z.drawMs), 16),
      peerRow('  click → drawn (peer: its click handler)', med(zoomOut, (z) => z.inputToDrawn), med(peerResult.zoomOut, (z) => z.done - z.input)),
      peerRow('  click → frame painted', med(zoomOut, (z) => z.inputToPainted), med(peerResult.zoomOut, (z) => z.painted! - z.input)),
      goalRow(`hover a frame (${hovers.length} moves): the redraw`, med(hovers, (h) => h.drawMs), 16),
      infoRow('  pointer move → frame painted', 'ms', med(hovers, (h) => h.inputToPainted)),
      infoRow(`first visit to /: JavaScript (${bytes.all.files} files)`, 'KB', kb(bytes.all.raw)),
      infoRow('  gzipped', 'KB', kb(bytes.all.gzip)),
      infoRow(`  Next.js + React runtime (${bytes.runtime.files} files), gzipped`, 'KB', kb(bytes.runtime.gzip)),
      infoRow(`  the page's chunks (${bytes.page.files} files), gzipped`, 'KB', kb(bytes.page.gzip)),
      infoRow('    of which our code (estimate), gzipped', 'KB', kb(bytes.ours.gzip)),
      infoRow('    of which libraries (the rest), gzipped', 'KB', kb(bytes.page.gzip - bytes.ours.gzip)),
    ];
    console.log(
      `JavaScript raw: all ${kb(bytes.all.raw).toFixed(0)} KB = runtime ${kb(bytes.runtime.raw).toFixed(0)} KB + page ${kb(bytes.page.raw).toFixed(0)} KB ` +
        `(our code ≈ ${kb(bytes.ours.raw).toFixed(0)} KB, libraries ≈ ${kb(bytes.page.raw - bytes.ours.raw).toFixed(0)} KB)`,
    );
    const spread = (figure: string, values: number[]) =>
      console.log(`  ${figure.padEnd(34)} median ${median(values).toFixed(1)}, best ${Math.min(...values).toFixed(1)}, worst ${Math.max(...values).toFixed(1)} ms`);
    console.log('runs (the best shows the cost without interference from other processes):');
    spread('first frame: data in → drawn', opens.map((o) => o.dataToDrawn));
    spread('first frame: the draw', opens.map((o) => o.drawMs));
    spread('zoom in: the redraw', zoomIn.map((z) => z.drawMs));
    spread('zoom out: the redraw', zoomOut.map((z) => z.drawMs));
    spread('hover: the redraw', hovers.map((h) => h.drawMs));
    spread('peer: render call', peerResult.renders.map((r) => r.script));
    spread('peer: zoom in, click handler', peerResult.zoomIn.map((z) => z.done - z.input));
    printTable(`Web UI in headless Chromium, medians of ${RUNS} runs (ratio > 1× means profd is ahead of the goal or peer; "painted": the next frame after the change)`, rows);
    printFigures(rows);
    console.log(`\nafter: ${loadAverage()}`);
  } finally {
    await browser?.close();
    await peer?.close();
    await app.stop();
  }
});
