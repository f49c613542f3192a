CREATE TABLE "cluster_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"product_key" text NOT NULL,
	"product_label" text NOT NULL,
	"case_ids" jsonb NOT NULL,
	"first_item_at" timestamp with time zone NOT NULL,
	"last_item_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"slack_ts" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"case_id" bigint,
	"stage" text NOT NULL,
	"status" text NOT NULL,
	"state" text NOT NULL,
	"reason_code" text NOT NULL,
	"reason_text" text NOT NULL,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"respond_by" timestamp with time zone,
	"respond_by_set_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"responded_by" text,
	"order_ref" text,
	"charge_ref" text,
	"customer_email" text,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"outcome" text,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_exports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispute_id" bigint NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"file_id" text,
	"bytes" integer,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"review_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"acknowledge" text NOT NULL,
	"actions" text[] NOT NULL,
	"action_detail" text,
	"official_channel" text NOT NULL,
	"cause_tag" text NOT NULL,
	"improvements" text[] DEFAULT '{}'::text[] NOT NULL,
	"improvement_note" text,
	"body" text NOT NULL,
	"drafted_by" text NOT NULL,
	"drafted_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"rating" smallint NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"product_id" text,
	"product_handle" text,
	"product_title" text,
	"product_sku" text,
	"verified" boolean DEFAULT false NOT NULL,
	"media" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reviewer_name" text,
	"reviewer_email" text,
	"order_ref" text,
	"language" text,
	"published" boolean,
	"written_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"negative" boolean NOT NULL,
	"problem_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"sentiment" text,
	"case_id" bigint,
	"checklist" jsonb,
	"ugc_status" text,
	"ugc_consent" text DEFAULT 'none' NOT NULL,
	"ugc_consent_at" timestamp with time zone,
	"ugc_consent_by" text,
	"ugc_scope" text[] DEFAULT '{}'::text[] NOT NULL,
	"ugc_approved_by" text,
	"ugc_approved_at" timestamp with time zone,
	"ugc_channel" text,
	"ugc_ts" text
);
--> statement-breakpoint
CREATE TABLE "webhook_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"event_id" text,
	"event_type" text,
	"status" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"body" text,
	"error" jsonb,
	"case_id" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_exports" ADD CONSTRAINT "evidence_exports_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_responses" ADD CONSTRAINT "review_responses_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_responses" ADD CONSTRAINT "review_responses_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD CONSTRAINT "webhook_inbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cluster_alerts_product_idx" ON "cluster_alerts" USING btree ("product_key","last_item_at");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_provider_external_uq" ON "disputes" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "disputes_case_idx" ON "disputes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "disputes_deadline_idx" ON "disputes" USING btree ("respond_by") WHERE "disputes"."responded_at" is null and "disputes"."closed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "review_responses_version_uq" ON "review_responses" USING btree ("case_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_provider_external_uq" ON "reviews" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "reviews_case_idx" ON "reviews" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "reviews_received_idx" ON "reviews" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "reviews_ugc_usable_idx" ON "reviews" USING btree ("ugc_approved_at") WHERE "reviews"."ugc_consent" = 'granted';--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_inbox_event_uq" ON "webhook_inbox" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "webhook_inbox_received_idx" ON "webhook_inbox" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "cases_order_idx" ON "cases" USING btree ("order_id");