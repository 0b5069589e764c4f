import { Suspense } from 'react';
import { QueryPage } from './ui/query/QueryPage';
import { Loading } from './ui/query/Notices';

/** The query page; its state is in the URL, which the client part reads (hence the Suspense boundary). */
export default function Home() {
  return (
    <Suspense fallback={<Loading what="Loading…" />}>
      <QueryPage />
    </Suspense>
  );
}
