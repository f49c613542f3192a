ALTER TABLE "reviews" ADD COLUMN "lead_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "lead_channel" text;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "lead_ts" text;