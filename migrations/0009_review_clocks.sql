ALTER TABLE "cases" ADD COLUMN "reported_at" timestamp with time zone;--> statement-breakpoint
-- Cases so far are reported when they were received; a review case when its review was written.
UPDATE "cases" SET "reported_at" = "received_at";--> statement-breakpoint
UPDATE "cases" c SET "reported_at" = LEAST(r."written_at", c."received_at") FROM "reviews" r WHERE r."case_id" = c."id";--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "reported_at" SET NOT NULL;--> statement-breakpoint
-- A must-escalate flag no longer makes a case at risk: let the sweep work out each open case's risk again.
UPDATE "cases" SET "sla_check_at" = now() WHERE "status" <> 'resolved' AND "must_escalate_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_reported_idx" ON "cases" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "reviews_written_idx" ON "reviews" USING btree ("written_at");
