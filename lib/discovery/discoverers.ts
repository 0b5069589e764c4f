import type { ScrapeConfig } from '../config/worker-config';
import { DnsDiscoverer, type DnsResolver } from './dns-sd';
import { FileDiscoverer } from './file-sd';
import { HttpDiscoverer } from './http-sd';
import { StaticDiscoverer } from './static';
import type { Discoverer, DiscoveryErrorHandler } from './target-group';

/** What building discoverers may need from outside: where errors go, and a DNS resolver to use. */
export interface DiscovererDeps {
  readonly onError: DiscoveryErrorHandler;
  readonly dnsResolver?: DnsResolver;
}

/** One discoverer per service-discovery entry of a job, in config order. */
export function discoverersForJob(job: ScrapeConfig, deps: DiscovererDeps): Discoverer[] {
  return [
    ...(job.staticConfigs.length > 0 ? [new StaticDiscoverer(job.staticConfigs)] : []),
    ...job.fileSdConfigs.map((c) => new FileDiscoverer(c, deps.onError)),
    ...job.httpSdConfigs.map((c) => new HttpDiscoverer(c, deps.onError)),
    ...job.dnsSdConfigs.map((c) => new DnsDiscoverer(c, deps.onError, deps.dnsResolver)),
  ];
}
