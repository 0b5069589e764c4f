import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [name…]`: runs every `bench/*.bench.ts` (or those whose names contain an argument),
 * in name order, each in its own Node process so one bench's heap and peak RSS never colour the
 * next's. Each bench prints its own table. Exits non-zero when a bench crashes; a missed goal is
 * reported in the tables, not by the exit code, since figures on a shared machine vary.
 */
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((name) => f.includes(name))))
  .sort();

if (benches.length === 0) {
  console.error(`no bench matches ${filters.join(', ')}; the benches are: ${readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(1);
}

const crashed: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${bench}`], { cwd: repoRoot, stdio: 'inherit' });
  if (run.status !== 0) crashed.push(`${bench} (${run.signal ?? `exit ${run.status}`})`);
}
if (crashed.length > 0) {
  console.error(`\nbenches that did not finish: ${crashed.join(', ')}`);
  process.exit(1);
}
