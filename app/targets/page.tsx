import { Suspense } from 'react';
import { TargetsPage } from '../ui/targets/TargetsPage';
import styles from '../ui/targets/TargetsPage.module.css';
import { TargetsSkeleton } from '../ui/targets/TargetsSkeleton';

export const metadata = { title: 'Targets · profd' };

/** The worker's scrape targets; the filter is in the URL, which the client part reads (hence Suspense). */
export default function Targets() {
  return (
    <Suspense
      fallback={
        <main className={styles.page}>
          <TargetsSkeleton />
        </main>
      }
    >
      <TargetsPage />
    </Suspense>
  );
}
