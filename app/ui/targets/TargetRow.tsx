import type { ActiveTarget } from '@/lib/db/targets';
import { formatAgo, formatQuantity, formatTime } from '../format';
import { LabelChips } from './LabelChips';
import type { TargetRow as Row } from './target-groups';
import styles from './TargetRow.module.css';

/** The columns a group's table has, for its header and for the error line's span. */
export const TARGET_COLUMNS = ['Endpoint', 'Profile types', 'Labels', 'Last scrape', 'Scrape took'] as const;

/**
 * One endpoint: a health badge per profile type, its labels, when it was last scraped and how long
 * that took, and under it the full error of every failing profile type (the reason is the point).
 */
export function TargetRow({ row, now }: { row: Row; now: number }) {
  const failing = row.scrapes.filter((s) => s.lastError !== '');
  // The job heads the group and the instance heads the row: chips show only what else tells endpoints apart.
  const otherLabels = Object.fromEntries(Object.entries(row.labels).filter(([name]) => name !== 'job' && name !== 'instance'));
  return (
    <tbody className={styles.row} data-testid="target-row" data-health={row.health} data-instance={row.instance}>
      <tr>
        <td className={styles.endpoint} title={row.scrapes.map((s) => s.scrapeUrl).join('\n')}>
          <div className={styles.instance}>{row.instance}</div>
          {row.endpoint.replace(/^[a-z]+:\/\//, '') !== row.instance && <div className={styles.url}>{row.endpoint}</div>}
        </td>
        <td>
          <span className={styles.badges}>
            {row.scrapes.map((scrape) => (
              <HealthBadge key={scrape.scrapeUrl} scrape={scrape} now={now} />
            ))}
          </span>
        </td>
        <td>
          <LabelChips labels={otherLabels} title={discoveredTitle(row.scrapes[0])} />
        </td>
        <td className={styles.number} title={perType(row.scrapes, (s) => (s.lastScrape === null ? 'never' : `${formatTime(Date.parse(s.lastScrape))} (${formatAgo(Date.parse(s.lastScrape), now)})`))}>
          {row.lastScrapeMs === null ? <span className={styles.never}>never</span> : formatAgo(row.lastScrapeMs, now)}
        </td>
        <td className={styles.number} title={perType(row.scrapes, (s) => formatSeconds(s.lastScrapeDuration))}>
          {formatSeconds(row.longestScrapeSeconds)}
        </td>
      </tr>
      {failing.length > 0 && (
        <tr>
          <td colSpan={TARGET_COLUMNS.length}>
            <div className={styles.errors}>
              {failing.map((scrape) => (
                <div key={scrape.scrapeUrl} className={styles.error} data-testid="target-error" data-profile-type={scrape.profileType}>
                  <span className={styles.errorType}>{scrape.profileType}</span>
                  {scrape.lastErrorReason && <span className={styles.reason}>{scrape.lastErrorReason}</span>}
                  {scrape.lastError}
                </div>
              ))}
            </div>
          </td>
        </tr>
      )}
    </tbody>
  );
}

function HealthBadge({ scrape, now }: { scrape: ActiveTarget; now: number }) {
  const last = scrape.lastScrape === null ? null : Date.parse(scrape.lastScrape);
  const details = [
    `${scrape.profileType}: ${scrape.health}`,
    scrape.scrapeUrl,
    last === null
      ? 'not scraped yet'
      : `last scrape ${formatTime(last)} (${formatAgo(last, now)}), took ${formatSeconds(scrape.lastScrapeDuration)}` +
        (scrape.lastScrapeBytes === null ? '' : `, ${formatQuantity(scrape.lastScrapeBytes, 'bytes')}`),
    `every ${scrape.scrapeInterval}, timeout ${scrape.scrapeTimeout}`,
  ];
  return (
    <span className={styles.badge} data-health={scrape.health} title={details.join('\n')}>
      {scrape.profileType}
    </span>
  );
}

function formatSeconds(seconds: number | null): string {
  return seconds === null ? '–' : formatQuantity(seconds, 'seconds');
}

function perType(scrapes: readonly ActiveTarget[], describe: (s: ActiveTarget) => string): string {
  return scrapes.map((s) => `${s.profileType}: ${describe(s)}`).join('\n');
}

/** Prometheus shows the labels before relabeling on hover; they explain where a label came from. */
function discoveredTitle(scrape: ActiveTarget): string {
  const lines = Object.entries(scrape.discoveredLabels).map(([name, value]) => `${name}="${value}"`);
  return `Before relabeling:\n${lines.join('\n')}`;
}
