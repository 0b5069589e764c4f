import type { StaticConfig } from '../config/worker-config';
import type { Discoverer, TargetGroup } from './target-group';

/** `static_configs`: the fixed groups of the config, emitted once. Sources are the entry indexes, as in Prometheus. */
export class StaticDiscoverer implements Discoverer {
  constructor(private readonly configs: readonly StaticConfig[]) {}

  async run(signal: AbortSignal, onGroups: (groups: TargetGroup[]) => void): Promise<void> {
    if (signal.aborted) return;
    onGroups(
      this.configs.map((config, i) => ({
        source: String(i),
        targets: config.targets.map((address) => ({ __address__: address })),
        labels: config.labels,
      })),
    );
  }
}
