import type { DroppedTargetInfo } from '@/lib/db/targets';
import styles from './DroppedTargets.module.css';
import { LabelChips } from './LabelChips';

interface DroppedTargetsProps {
  /** The dropped targets the filter lets through. */
  readonly targets: readonly DroppedTargetInfo[];
  /** All dropped targets, for the header's count. */
  readonly total: number;
  readonly expanded: boolean;
  onToggle(): void;
}

/** Targets that relabeling dropped, folded by default: their discovered labels show why a service is missing. */
export function DroppedTargets({ targets, total, expanded, onToggle }: DroppedTargetsProps) {
  return (
    <section className={styles.section}>
      <button type="button" className={styles.header} aria-expanded={expanded} onClick={onToggle} data-testid="dropped-targets-toggle">
        <span className={styles.chevron} aria-hidden>
          {expanded ? '▾' : '▸'}
        </span>
        Dropped targets
        <span className={styles.count}>{targets.length === total ? total : `${targets.length} of ${total}`}</span>
      </button>
      {expanded && (
        <ul className={styles.list}>
          {targets.map((target) => (
            <li key={`${target.scrapePool} ${JSON.stringify(target.discoveredLabels)}`} className={styles.item} data-testid="dropped-target">
              <span className={styles.job}>{target.scrapePool}</span>
              <LabelChips labels={target.discoveredLabels} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
