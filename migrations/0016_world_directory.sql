CREATE TABLE "federation_directory" (
	"id" integer PRIMARY KEY NOT NULL,
	"jws" text,
	"iat" bigint,
	"etag" text,
	"fetched_at" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "federation_national_lists" (
	"country" text PRIMARY KEY NOT NULL,
	"coordinator_fingerprint" text NOT NULL,
	"coordinator_jwk" jsonb NOT NULL,
	"trust_list_url" text NOT NULL,
	"list_iat" bigint,
	"list_etag" text,
	"list_fetched_at" timestamp with time zone,
	"issuers" integer DEFAULT 0 NOT NULL,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
