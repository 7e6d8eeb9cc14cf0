CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"site_id" uuid NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"seat" integer NOT NULL,
	"pin_hash" text NOT NULL,
	"failed_pins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"language" text NOT NULL,
	"contact" "bytea",
	"reminder_sent_at" timestamp with time zone,
	"booked_by" uuid,
	"checked_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_booking_rights" (
	"staff_id" uuid PRIMARY KEY NOT NULL,
	"max_places" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrolment_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"kind" text NOT NULL,
	"from_date" text,
	"until_date" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" text,
	"hours" jsonb NOT NULL,
	"desks" integer NOT NULL,
	"slot_minutes" integer NOT NULL,
	"walk_in_share" double precision NOT NULL,
	"booking_window_days" integer NOT NULL,
	"release_time" text NOT NULL,
	"no_show_minutes" integer DEFAULT 15 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_walk_in_counters" (
	"site_id" uuid NOT NULL,
	"date" text NOT NULL,
	"last" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_site_id_enrolment_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."enrolment_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_walk_in_counters" ADD CONSTRAINT "appointment_walk_in_counters_site_id_enrolment_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."enrolment_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_reference_uq" ON "appointments" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_seat_uq" ON "appointments" USING btree ("site_id","start","seat");--> statement-breakpoint
CREATE INDEX "appointments_start_idx" ON "appointments" USING btree ("start");--> statement-breakpoint
CREATE UNIQUE INDEX "appointment_walk_in_counters_pk" ON "appointment_walk_in_counters" USING btree ("site_id","date");