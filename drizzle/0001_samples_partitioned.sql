-- samples: one row per stored profile, range-partitioned by UTC day on ts (see lib/db/schema/samples.ts).
-- Hand-written because drizzle-kit cannot declare partitioned tables.
CREATE TABLE "samples" (
	"series_id" bigint NOT NULL REFERENCES "series" ("id") ON DELETE CASCADE,
	"ts" timestamp with time zone NOT NULL,
	"blob" bytea NOT NULL,
	"blob_size" integer NOT NULL,
	"sample_types" text[] NOT NULL,
	"default_sample_type" text NOT NULL,
	"totals" double precision[] NOT NULL,
	"duration_nanos" bigint NOT NULL,
	"period_type" text NOT NULL,
	"period" bigint NOT NULL,
	PRIMARY KEY ("series_id", "ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
-- The blob is gzip already: EXTERNAL stores it out of line without a pointless pglz attempt.
ALTER TABLE "samples" ALTER COLUMN "blob" SET STORAGE EXTERNAL;
--> statement-breakpoint
-- Creates the day partitions samples_YYYYMMDD that do not exist yet and returns the names it created.
-- Safe under concurrency: creators serialise on an advisory lock, and a table another session created
-- meanwhile (invisible to this one's catalog snapshot) is caught as a duplicate.
-- Bounds are written with an explicit +00 so the session's TimeZone cannot shift them.
CREATE FUNCTION profd_ensure_partitions(days date[]) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	day date;
	part text;
BEGIN
	FOREACH day IN ARRAY days LOOP
		part := 'samples_' || to_char(day, 'YYYYMMDD');
		CONTINUE WHEN to_regclass(part) IS NOT NULL;
		PERFORM pg_advisory_xact_lock(hashtext('profd.samples.partitions'));
		CONTINUE WHEN to_regclass(part) IS NOT NULL;
		BEGIN
			EXECUTE format('CREATE TABLE %I PARTITION OF samples FOR VALUES FROM (%L) TO (%L)',
				part, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
			EXECUTE format('ALTER TABLE %I ALTER COLUMN blob SET STORAGE EXTERNAL', part);
			RETURN NEXT part;
		EXCEPTION WHEN duplicate_table OR unique_violation THEN
			NULL;
		END;
	END LOOP;
END;
$$;
--> statement-breakpoint
-- Drops the day partitions for days before `cutoff` and returns their names, oldest first.
CREATE FUNCTION profd_drop_partitions_before(cutoff date) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	part text;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('profd.samples.partitions'));
	FOR part IN
		SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'samples'::regclass AND c.relname ~ '^samples_[0-9]{8}$'
			AND to_date(substr(c.relname, 9), 'YYYYMMDD') < cutoff
		ORDER BY c.relname
	LOOP
		EXECUTE format('DROP TABLE %I', part);
		RETURN NEXT part;
	END LOOP;
END;
$$;
