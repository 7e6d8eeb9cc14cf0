CREATE TABLE "verification_weekly_counts" (
	"week_start" date NOT NULL,
	"issuer" text NOT NULL,
	"outcome" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "verification_weekly_counts_pk" PRIMARY KEY("week_start","issuer","outcome")
);
