ALTER TABLE "disputes" ADD COLUMN "provider_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "provider_updated_at" timestamp with time zone;