import type { Labels } from '@/lib/selector/matcher';
import styles from './LabelChips.module.css';
import { sortedLabels } from './target-groups';

/** Labels as `name="value"` chips that wrap, the way Prometheus' targets page shows them. */
export function LabelChips({ labels, title }: { labels: Labels; title?: string }) {
  return (
    <span className={styles.chips} title={title}>
      {sortedLabels(labels).map(([name, value]) => (
        <span key={name} className={styles.chip}>
          <span className={styles.name}>{name}</span>=&quot;{value}&quot;
        </span>
      ))}
    </span>
  );
}
