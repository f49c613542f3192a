ALTER TABLE "cases" ADD COLUMN "suggested_tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "tags_reviewed_by" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "tags_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "judgement" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sentiment" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "must_escalate_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "automatable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "product_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_product_keys_idx" ON "cases" USING gin ("product_keys");