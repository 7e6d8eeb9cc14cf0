CREATE TABLE "event_editions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid NOT NULL,
	"key" text NOT NULL,
	"due_on" date NOT NULL,
	"owner" text,
	"status" text DEFAULT 'todo' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_rsvps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"status" text NOT NULL,
	"seq" bigint NOT NULL,
	"entry_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"admitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_spaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"capacity" integer,
	"accessibility" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"contact" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"edition_id" uuid,
	"space_id" uuid,
	"status" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb,
	"category" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"place" jsonb,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"capacity" integer,
	"access" text NOT NULL,
	"rsvp" text NOT NULL,
	"draw_at" timestamp with time zone,
	"seed_hash" text,
	"sealed_seed" "bytea",
	"seed" text,
	"drawn_at" timestamp with time zone,
	"entries_count" integer,
	"places_count" integer,
	"admitted_count" integer DEFAULT 0 NOT NULL,
	"purged_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_milestones" ADD CONSTRAINT "event_milestones_edition_id_event_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."event_editions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_rsvps" ADD CONSTRAINT "event_rsvps_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_edition_id_event_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."event_editions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_space_id_event_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."event_spaces"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_milestones_edition_key_uq" ON "event_milestones" USING btree ("edition_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "event_rsvps_holder_uq" ON "event_rsvps" USING btree ("event_id","holder");--> statement-breakpoint
CREATE UNIQUE INDEX "event_rsvps_ticket_uq" ON "event_rsvps" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_rsvps_entry_uq" ON "event_rsvps" USING btree ("event_id","entry_id");--> statement-breakpoint
CREATE INDEX "event_rsvps_line_idx" ON "event_rsvps" USING btree ("event_id","status","seq");--> statement-breakpoint
CREATE INDEX "events_starts_at_idx" ON "events" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "events_edition_idx" ON "events" USING btree ("edition_id");