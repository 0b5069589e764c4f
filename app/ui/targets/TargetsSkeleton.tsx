import styles from './TargetsSkeleton.module.css';

/** Grey bars in the shape of a job's table while the first read is on its way. */
export function TargetsSkeleton() {
  return (
    <div className={styles.skeleton} role="status" aria-label="Loading targets" data-testid="loading">
      {[0, 1].map((group) => (
        <div key={group} className={styles.group}>
          <div className={styles.header} />
          {[0, 1, 2].map((row) => (
            <div key={row} className={styles.row} />
          ))}
        </div>
      ))}
    </div>
  );
}
