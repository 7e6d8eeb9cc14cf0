CREATE TABLE "federation_partners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country" text NOT NULL,
	"source" text NOT NULL,
	"state" text NOT NULL,
	"root_fingerprint" text NOT NULL,
	"root_jwk" jsonb,
	"metadata_url" text,
	"keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"revoked" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metadata_jws" text,
	"metadata_iat" bigint,
	"metadata_etag" text,
	"metadata_fetched_at" timestamp with time zone,
	"status_list_url" text,
	"status_list_jwt" text,
	"status_list_etag" text,
	"status_list_fetched_at" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"trust_list_iat" bigint,
	"trust_list_imported_at" timestamp with time zone,
	"sync_lease_until" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "federation_partners_country_idx" ON "federation_partners" USING btree ("country");--> statement-breakpoint
CREATE INDEX "federation_partners_source_idx" ON "federation_partners" USING btree ("source");