ALTER TABLE "events" ADD COLUMN "door_code_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "events_door_code_uq" ON "events" USING btree ("door_code_hash");