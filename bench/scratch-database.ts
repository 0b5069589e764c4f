/**
 * A migrated database of its own on the Postgres server for one bench run, dropped afterwards, so a
 * bench never touches data it did not make (`PROFD_BENCH_DATABASE_URL` names the server).
 */
import postgres from 'postgres';
import { migrate } from '../lib/db';

const SERVER_URL = process.env.PROFD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Runs `body` with the URL of a fresh database named after `bench`. `beforeDrop` closes whatever
 * the bench left connected to it (the drop forces connections closed, but a pool should close first).
 */
export async function withScratchDatabase<T>(bench: string, body: (url: string) => Promise<T>, beforeDrop?: () => Promise<void>): Promise<T> {
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const name = `profd_bench_${bench}_${process.pid}`;
  await admin`create database ${admin(name)}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
    return await body(url.toString());
  } finally {
    await beforeDrop?.();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  }
}
