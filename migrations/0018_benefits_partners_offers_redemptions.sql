CREATE TABLE "benefit_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kind" text NOT NULL,
	"limit_per" text NOT NULL,
	"age_min" integer,
	"age_max" integer,
	"valid_from" date,
	"valid_until" date,
	"partner_city_holders" boolean DEFAULT false NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benefit_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hours" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"website" text,
	"phone" text,
	"accepts_card_as_id" boolean DEFAULT false NOT NULL,
	"acceptance_confirmed_on" date,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benefit_redemption_counts" (
	"offer_id" uuid NOT NULL,
	"month" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "benefit_redemption_counts_pk" PRIMARY KEY("offer_id","month")
);
--> statement-breakpoint
CREATE TABLE "benefit_redemptions" (
	"offer_id" uuid NOT NULL,
	"period" text NOT NULL,
	"pseudonym" "bytea" NOT NULL,
	CONSTRAINT "benefit_redemptions_pk" PRIMARY KEY("offer_id","period","pseudonym")
);
--> statement-breakpoint
ALTER TABLE "service_keys" ADD COLUMN "partner_id" uuid;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "partner_id" uuid;--> statement-breakpoint
ALTER TABLE "benefit_offers" ADD CONSTRAINT "benefit_offers_partner_id_benefit_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."benefit_partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_redemption_counts" ADD CONSTRAINT "benefit_redemption_counts_offer_id_benefit_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."benefit_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_redemptions" ADD CONSTRAINT "benefit_redemptions_offer_id_benefit_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."benefit_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "benefit_offers_partner_idx" ON "benefit_offers" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "benefit_partners_category_idx" ON "benefit_partners" USING btree ("category");--> statement-breakpoint
ALTER TABLE "service_keys" ADD CONSTRAINT "service_keys_partner_id_benefit_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."benefit_partners"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_partner_id_benefit_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."benefit_partners"("id") ON DELETE set null ON UPDATE no action;