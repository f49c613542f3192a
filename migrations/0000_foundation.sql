CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"direction" text NOT NULL,
	"author_name" text,
	"author_slack_id" text,
	"body" text NOT NULL,
	"external_id" text,
	"slack_ts" text,
	"created_at" timestamp with time zone NOT NULL,
	"inserted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"customer_name" text,
	"customer_email" text,
	"customer_id" text,
	"customer_order_count" integer,
	"customer_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"order_id" text,
	"order_amount" numeric,
	"order_currency" text,
	"order_country" text,
	"order_items" jsonb,
	"status" text DEFAULT 'new' NOT NULL,
	"priority" text NOT NULL,
	"owner_id" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"escalated_at" timestamp with time zone,
	"escalation_reason" text,
	"channel_id" text NOT NULL,
	"slack_ts" text,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_at" timestamp with time zone,
	"last_customer_message_at" timestamp with time zone,
	"last_agent_reply_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"case_id" bigint,
	"channel" text NOT NULL,
	"order_key" text NOT NULL,
	"priority" smallint DEFAULT 0 NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"ambiguous" boolean DEFAULT false NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"result_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"next_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_messages" ADD CONSTRAINT "case_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_messages_external_uq" ON "case_messages" USING btree ("case_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_messages_slack_uq" ON "case_messages" USING btree ("case_id","slack_ts");--> statement-breakpoint
CREATE INDEX "case_messages_case_idx" ON "case_messages" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_kind_source_external_uq" ON "cases" USING btree ("kind","source","external_id");--> statement-breakpoint
CREATE INDEX "cases_card_idx" ON "cases" USING btree ("channel_id","slack_ts");--> statement-breakpoint
CREATE INDEX "cases_open_idx" ON "cases" USING btree ("status","received_at") WHERE "cases"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX "cases_owner_idx" ON "cases" USING btree ("owner_id") WHERE "cases"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX "cases_customer_email_idx" ON "cases" USING btree (lower("customer_email"));--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "outbox_unfinished_idx" ON "outbox" USING btree ("order_key","id") WHERE "outbox"."status" in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_channel_idx" ON "outbox" USING btree ("channel","priority" DESC NULLS LAST,"id") WHERE "outbox"."status" in ('pending', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_retry_idx" ON "outbox" USING btree ("not_before") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_card_update_pending_uq" ON "outbox" USING btree ("case_id") WHERE "outbox"."kind" = 'card_update' and "outbox"."status" = 'pending';