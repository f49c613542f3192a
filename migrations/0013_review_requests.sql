CREATE TABLE "email_suppressions" (
	"email" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_request_sends" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL,
	"step" smallint NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"sent_at" timestamp with time zone,
	"message_id" text
);
--> statement-breakpoint
CREATE TABLE "review_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_provider" text NOT NULL,
	"order_external_id" text NOT NULL,
	"order_name" text,
	"customer_email" text NOT NULL,
	"customer_name" text,
	"country" text,
	"timezone" text,
	"language" text,
	"products" jsonb NOT NULL,
	"delivered_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"check_at" timestamp with time zone,
	"sends" integer DEFAULT 0 NOT NULL,
	"hold_reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"held_since" timestamp with time zone,
	"ever_held" boolean DEFAULT false NOT NULL,
	"skip_reason" text,
	"first_sent_at" timestamp with time zone,
	"last_sent_at" timestamp with time zone,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "ugc_consent_scope" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "ugc_consent_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "ugc_consent_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "ugc_consent_via" text;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "ugc_consent_note" text;--> statement-breakpoint
ALTER TABLE "review_request_sends" ADD CONSTRAINT "review_request_sends_request_id_review_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_request_sends_once_uq" ON "review_request_sends" USING btree ("request_id","step");--> statement-breakpoint
CREATE UNIQUE INDEX "review_requests_order_uq" ON "review_requests" USING btree ("order_provider","order_external_id");--> statement-breakpoint
CREATE INDEX "review_requests_check_idx" ON "review_requests" USING btree ("check_at") WHERE "review_requests"."check_at" is not null;--> statement-breakpoint
CREATE INDEX "review_requests_email_idx" ON "review_requests" USING btree ("customer_email","first_sent_at");--> statement-breakpoint
CREATE INDEX "review_requests_first_sent_idx" ON "review_requests" USING btree ("first_sent_at");