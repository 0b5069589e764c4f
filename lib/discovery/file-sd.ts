import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FileSdConfig } from '../config/worker-config';
import { runRefreshLoop } from './refresh';
import { parseTargetGroups, type Discoverer, type DiscoveryErrorHandler, type TargetGroup } from './target-group';

/**
 * `file_sd_configs`, as Prometheus: JSON or YAML files of target groups, matched by a pattern with `*`
 * in the file name, re-read when their directory changes (fs.watch) and every refresh_interval in any
 * case (watches miss events on some file systems). A file that fails to parse keeps its last good groups.
 */
export class FileDiscoverer implements Discoverer {
  private readonly lastGood = new Map<string, TargetGroup[]>();

  constructor(
    private readonly config: FileSdConfig,
    private readonly onError: DiscoveryErrorHandler,
  ) {}

  async run(signal: AbortSignal, onGroups: (groups: TargetGroup[]) => void): Promise<void> {
    const changes = new ChangeSignal();
    const watchers = this.watchDirectories(() => changes.notify());
    try {
      await runRefreshLoop(signal, {
        intervalMs: this.config.refreshIntervalMs,
        refresh: () => this.readAll(),
        onGroups,
        onError: this.onError,
        wakeUp: (wait) => changes.next(wait),
      });
    } finally {
      for (const watcher of watchers) watcher.close();
    }
  }

  /** Reads every matching file; a file that fails keeps its previous groups and is reported. */
  private async readAll(): Promise<TargetGroup[]> {
    const files = (await Promise.all(this.config.files.map(expandPattern))).flat();
    const current = new Map<string, TargetGroup[]>();
    for (const file of [...new Set(files)].sort()) {
      try {
        current.set(file, await readGroupsFile(file));
      } catch (err) {
        this.onError(err as Error);
        const previous = this.lastGood.get(file);
        if (previous) current.set(file, previous);
      }
    }
    this.lastGood.clear();
    for (const [file, groups] of current) this.lastGood.set(file, groups);
    return [...current.values()].flat();
  }

  private watchDirectories(onChange: () => void): FSWatcher[] {
    const watchers: FSWatcher[] = [];
    for (const dir of new Set(this.config.files.map((f) => dirname(f)))) {
      try {
        watchers.push(watch(dir, onChange).on('error', (err) => this.onError(new Error(`file_sd: watching ${dir} failed: ${err.message}`))));
      } catch (err) {
        this.onError(new Error(`file_sd: cannot watch ${dir} (${(err as Error).message}); re-reading every refresh_interval instead`));
      }
    }
    return watchers;
  }
}

/** Files matching a pattern whose only wildcard is a `*` in the file name (Prometheus' rule). */
async function expandPattern(pattern: string): Promise<string[]> {
  const name = basename(pattern);
  if (!name.includes('*')) return [pattern];
  // Prometheus allows `*` only in the file name, so a one-line matcher is exact; a glob library would
  // also accept patterns that Prometheus refuses.
  const matcher = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const dir = dirname(pattern);
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new Error(`file_sd: cannot list ${dir}: ${err.message}`);
  });
  return entries.filter((entry) => matcher.test(entry)).map((entry) => join(dir, entry));
}

async function readGroupsFile(file: string): Promise<TargetGroup[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`file_sd: cannot read ${file}: ${err.message}`);
  });
  let document: unknown;
  try {
    document = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`file_sd: ${file} is not valid ${extname(file).slice(1).toUpperCase()}: ${(err as Error).message}`);
  }
  try {
    return parseTargetGroups(document ?? [], file, { __meta_filepath: file });
  } catch (err) {
    throw new Error(`file_sd: ${(err as Error).message}`);
  }
}

/** Lets a waiting refresh loop be woken by file-system events that arrive at any time. */
class ChangeSignal {
  private pending = false;
  private waiter: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    this.waiter?.();
  }

  /** Resolves at the next change (at once if one came while nobody waited), or when `signal` aborts. */
  next(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.pending = false;
        this.waiter = null;
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (this.pending || signal.aborted) return done();
      this.waiter = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
