CREATE TABLE "ugc_consent_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"scope" text[] NOT NULL,
	"grant_months" integer,
	"note" text,
	"channel" text NOT NULL,
	"target" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"link_expires_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"message_id" text,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "ugc_consent_requests" ADD CONSTRAINT "ugc_consent_requests_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ugc_consent_requests_review_idx" ON "ugc_consent_requests" USING btree ("review_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "ugc_consent_requests_open_uq" ON "ugc_consent_requests" USING btree ("review_id") WHERE "ugc_consent_requests"."status" in ('queued', 'sent', 'failed', 'copy');