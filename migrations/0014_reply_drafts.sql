CREATE TABLE "reply_drafts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"language" text NOT NULL,
	"type" text NOT NULL,
	"greeting" text NOT NULL,
	"parts" jsonb NOT NULL,
	"signoff" text NOT NULL,
	"body" text NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"gaps" text[] DEFAULT '{}'::text[] NOT NULL,
	"channel" text,
	"target" text,
	"drafted_by" text NOT NULL,
	"drafted_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"override_by" text,
	"override_reason" text,
	"override_at" timestamp with time zone,
	"escalation_confirmed_by" text,
	"sent_by" text,
	"send_requested_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"external_id" text,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "reply_drafts" ADD CONSTRAINT "reply_drafts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reply_drafts_version_uq" ON "reply_drafts" USING btree ("case_id","version");--> statement-breakpoint
CREATE INDEX "reply_drafts_case_idx" ON "reply_drafts" USING btree ("case_id","id");