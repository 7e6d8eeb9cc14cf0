CREATE TABLE "appointment_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"site_id" uuid NOT NULL,
	"date" text NOT NULL,
	"wanted_start" timestamp with time zone NOT NULL,
	"places" integer DEFAULT 1 NOT NULL,
	"pin_hash" text NOT NULL,
	"failed_pins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"language" text NOT NULL,
	"contact" "bytea",
	"booked_by" uuid,
	"draw_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enrolment_sites" ADD COLUMN "draw_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "appointment_requests" ADD CONSTRAINT "appointment_requests_site_id_enrolment_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."enrolment_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointment_requests_reference_uq" ON "appointment_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "appointment_requests_site_date_idx" ON "appointment_requests" USING btree ("site_id","date");