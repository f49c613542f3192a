DROP INDEX "disputes_created_idx";--> statement-breakpoint
CREATE INDEX "disputes_opened_idx" ON "disputes" USING btree ("opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fix_items_open_question_uq" ON "fix_items" USING btree ("tag",coalesce("product_key", ''),"week_start") WHERE "fix_items"."state" = 'open';