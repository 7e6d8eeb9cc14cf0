CREATE TABLE "resident_keys" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"key" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cards" ALTER COLUMN "credential" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "resident_keys" ADD CONSTRAINT "resident_keys_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Cards of holders erased before this migration: their credential goes (the slot and the number index stay).
UPDATE "cards" SET "credential" = NULL WHERE "resident_id" IS NULL;
