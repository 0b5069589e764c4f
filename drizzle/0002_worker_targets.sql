CREATE TABLE "dropped_targets" (
	"key" text PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"discovered_labels" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scrape_targets" (
	"key" text PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"profile_type" text NOT NULL,
	"scrape_url" text NOT NULL,
	"labels" jsonb NOT NULL,
	"discovered_labels" jsonb NOT NULL,
	"interval_ms" integer NOT NULL,
	"timeout_ms" integer NOT NULL,
	"health" text NOT NULL,
	"last_scrape" timestamp with time zone,
	"last_duration_ms" double precision,
	"last_bytes" bigint,
	"last_error_reason" text,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "worker_config" (
	"id" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"yaml" text NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL
);
