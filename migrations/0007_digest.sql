CREATE TABLE "digests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"week_start" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"content" jsonb NOT NULL,
	"published_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"slack_ts" text,
	"chart_file_id" text
);
--> statement-breakpoint
CREATE TABLE "fix_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tag" text NOT NULL,
	"product_key" text,
	"product_label" text,
	"target" text NOT NULL,
	"owner_id" text NOT NULL,
	"due_on" text NOT NULL,
	"note" text,
	"state" text DEFAULT 'open' NOT NULL,
	"week_start" text,
	"week_count" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "carrier" text;--> statement-breakpoint
CREATE UNIQUE INDEX "digests_week_uq" ON "digests" USING btree ("week_start");--> statement-breakpoint
CREATE INDEX "fix_items_open_idx" ON "fix_items" USING btree ("due_on") WHERE "fix_items"."state" = 'open';--> statement-breakpoint
CREATE INDEX "fix_items_done_idx" ON "fix_items" USING btree ("done_at") WHERE "fix_items"."state" = 'done';--> statement-breakpoint
CREATE INDEX "disputes_created_idx" ON "disputes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "disputes_closed_idx" ON "disputes" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "disputes_open_idx" ON "disputes" USING btree ("opened_at") WHERE "disputes"."closed_at" is null;