import { Resolver } from 'node:dns/promises';
import type { DnsSdConfig } from '../config/worker-config';
import type { Labels } from '../selector/matcher';
import { runRefreshLoop } from './refresh';
import type { Discoverer, DiscoveryErrorHandler, TargetGroup } from './target-group';

/** The lookups DNS discovery needs; node:dns/promises' Resolver has them. */
export type DnsResolver = Pick<Resolver, 'resolve4' | 'resolve6' | 'resolveSrv'>;

// Answers that mean "this name has no such records": an empty group, not a failure (as Prometheus).
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * `dns_sd_configs`: resolves each name as SRV (target:port from the record), A or AAAA (with the
 * configured port) every refresh_interval. One group per name, labelled `__meta_dns_name` and, for
 * SRV, `__meta_dns_srv_record_target` / `__meta_dns_srv_record_port`. A failed lookup keeps that
 * name's last good group.
 */
export class DnsDiscoverer implements Discoverer {
  private readonly lastGood = new Map<string, TargetGroup>();

  constructor(
    private readonly config: DnsSdConfig,
    private readonly onError: DiscoveryErrorHandler,
    private readonly resolver: DnsResolver = new Resolver({ timeout: 5000, tries: 2 }),
  ) {}

  run(signal: AbortSignal, onGroups: (groups: TargetGroup[]) => void): Promise<void> {
    return runRefreshLoop(signal, {
      intervalMs: this.config.refreshIntervalMs,
      refresh: () => this.resolveAll(),
      onGroups,
      onError: this.onError,
    });
  }

  private async resolveAll(): Promise<TargetGroup[]> {
    const groups = await Promise.all(
      this.config.names.map(async (name) => {
        try {
          const group: TargetGroup = { source: name, targets: await this.lookup(name), labels: {} };
          this.lastGood.set(name, group);
          return group;
        } catch (err) {
          this.onError(new Error(`dns_sd: looking up ${this.config.type} records of ${name} failed: ${(err as Error).message}`));
          return this.lastGood.get(name);
        }
      }),
    );
    return groups.filter((g): g is TargetGroup => g !== undefined);
  }

  private async lookup(name: string): Promise<Labels[]> {
    try {
      if (this.config.type === 'SRV') {
        return (await this.resolver.resolveSrv(name)).map((r) => ({
          __address__: hostPort(r.name.replace(/\.$/, ''), r.port),
          __meta_dns_name: name,
          __meta_dns_srv_record_target: r.name,
          __meta_dns_srv_record_port: String(r.port),
        }));
      }
      const ips = this.config.type === 'A' ? await this.resolver.resolve4(name) : await this.resolver.resolve6(name);
      return ips.map((ip) => ({ __address__: hostPort(ip, this.config.port ?? 0), __meta_dns_name: name }));
    } catch (err) {
      if (NO_RECORDS.has((err as NodeJS.ErrnoException).code ?? '')) return [];
      throw err;
    }
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
