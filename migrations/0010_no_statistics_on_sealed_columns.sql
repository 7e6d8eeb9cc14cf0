-- Custom SQL migration file, put your code below! ---- ANALYZE copies sample column values (up to 1 kB each) into pg_statistic, where neither erasure nor a table rewrite reaches them: none of the sealed columns is ever filtered or sorted on, so none keeps statistics — above all not the resident keys.
ALTER TABLE "resident_keys" ALTER COLUMN "key" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "residents" ALTER COLUMN "names" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "residents" ALTER COLUMN "birth_date" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "residents" ALTER COLUMN "address" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "residents" ALTER COLUMN "details" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "residents" ALTER COLUMN "evidence" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "resident_photos" ALTER COLUMN "photo" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "cards" ALTER COLUMN "credential" SET STATISTICS 0;
