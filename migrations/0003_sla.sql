ALTER TABLE "cases" ADD COLUMN "awaiting_reply_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_pauses" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_resolutions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_check_at" timestamp with time zone DEFAULT 'epoch'::timestamptz;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sla_risk_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "cases_sla_check_idx" ON "cases" USING btree ("sla_check_at") WHERE "cases"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX "cases_sla_risk_idx" ON "cases" USING btree ("sla_risk_at") WHERE "cases"."status" <> 'resolved';