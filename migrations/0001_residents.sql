CREATE TABLE "resident_lookup" (
	"resident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "resident_lookup_pk" PRIMARY KEY("resident_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "resident_photos" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"photo" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"names" "bytea" NOT NULL,
	"birth_date" "bytea" NOT NULL,
	"address" "bytea" NOT NULL,
	"details" "bytea" NOT NULL,
	"evidence" "bytea" NOT NULL,
	"evidence_rules_version" text NOT NULL,
	"created_by" uuid,
	"last_card_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_lookup" ADD CONSTRAINT "resident_lookup_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_photos" ADD CONSTRAINT "resident_photos_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_lookup_value_idx" ON "resident_lookup" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "residents_retention_idx" ON "residents" USING btree ("last_card_expires_at","updated_at");