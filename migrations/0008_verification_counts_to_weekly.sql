-- Per-day counts with the exact result could single out a holder ("day D,
-- suspended, 1"): fold them into ISO weeks (date_trunc(week) is the ISO
-- Monday) and valid / not valid, then the per-day table is dropped.
INSERT INTO "verification_weekly_counts" ("week_start", "issuer", "outcome", "count")
SELECT date_trunc('week', "day")::date, "issuer", CASE WHEN "result" IN ('valid', 'proof_valid') THEN 'valid' ELSE 'not_valid' END, sum("count")::integer
FROM "verification_counts"
GROUP BY 1, 2, 3
ON CONFLICT ("week_start", "issuer", "outcome") DO UPDATE SET "count" = "verification_weekly_counts"."count" + excluded."count";
