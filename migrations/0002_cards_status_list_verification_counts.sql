CREATE TABLE "cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number_index" text NOT NULL,
	"resident_id" uuid,
	"state" text NOT NULL,
	"reason" text,
	"status_index" integer NOT NULL,
	"kid" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_on" date NOT NULL,
	"credential" "bytea" NOT NULL,
	"previous_id" uuid,
	"claim_code_hash" text,
	"claim_code_expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_list_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"size" integer NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_counts" (
	"day" date NOT NULL,
	"issuer" text NOT NULL,
	"result" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "verification_counts_pk" PRIMARY KEY("day","issuer","result")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cards_number_index_uq" ON "cards" USING btree ("number_index");--> statement-breakpoint
CREATE UNIQUE INDEX "cards_status_index_uq" ON "cards" USING btree ("status_index");--> statement-breakpoint
CREATE INDEX "cards_resident_idx" ON "cards" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cards_one_live_per_resident_uq" ON "cards" USING btree ("resident_id") WHERE state in ('active', 'suspended');--> statement-breakpoint
CREATE UNIQUE INDEX "cards_claim_code_uq" ON "cards" USING btree ("claim_code_hash");--> statement-breakpoint
CREATE INDEX "cards_state_idx" ON "cards" USING btree ("state");