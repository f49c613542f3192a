DROP INDEX "disputes_deadline_idx";--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "remind_at" timestamp with time zone DEFAULT 'epoch'::timestamptz;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "provider_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "provider_updated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "disputes_deadline_idx" ON "disputes" USING btree ("remind_at") WHERE "disputes"."responded_at" is null and "disputes"."closed_at" is null;