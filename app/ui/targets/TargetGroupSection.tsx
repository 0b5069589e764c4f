import type { TargetGroup } from './target-groups';
import styles from './TargetGroupSection.module.css';
import { TARGET_COLUMNS, TargetRow } from './TargetRow';

interface TargetGroupSectionProps {
  readonly group: TargetGroup;
  readonly expanded: boolean;
  onToggle(job: string): void;
  readonly now: number;
}

/** One job: a header that folds it, with how many of its endpoints are up, over the table of its endpoints. */
export function TargetGroupSection({ group, expanded, onToggle, now }: TargetGroupSectionProps) {
  const { up, total } = group.summary;
  const hidden = total - group.rows.length;
  return (
    <section className={styles.group} data-testid="target-group" data-job={group.job}>
      <button type="button" className={styles.header} aria-expanded={expanded} onClick={() => onToggle(group.job)}>
        <span className={styles.chevron} aria-hidden>
          {expanded ? '▾' : '▸'}
        </span>
        <span className={styles.job}>{group.job}</span>
        <span className={styles.summary} data-all-up={up === total}>
          {up}/{total} up
        </span>
        {hidden > 0 && <span className={styles.hidden}>{hidden} hidden by the filter</span>}
      </button>
      {expanded && (
        <table className={styles.table}>
          <thead>
            <tr>
              {TARGET_COLUMNS.map((column) => (
                <th key={column}>{column}</th>
              ))}
            </tr>
          </thead>
          {group.rows.map((row) => (
            <TargetRow key={row.key} row={row} now={now} />
          ))}
        </table>
      )}
    </section>
  );
}
