CREATE TABLE "csat_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" bigint NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text,
	"via" text NOT NULL,
	"responded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_response_business_ms" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_response_within_sla" boolean;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resolution_business_ms" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_response_ms" bigint GENERATED ALWAYS AS ((extract(epoch from first_response_at - received_at) * 1000)::bigint) STORED;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resolution_ms" bigint GENERATED ALWAYS AS ((extract(epoch from resolved_at - received_at) * 1000)::bigint) STORED;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "agent_reply_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csat_responses_case_uq" ON "csat_responses" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "csat_responses_responded_idx" ON "csat_responses" USING btree ("responded_at");--> statement-breakpoint
CREATE INDEX "cases_resolved_idx" ON "cases" USING btree ("resolved_at") WHERE "cases"."resolved_at" is not null;--> statement-breakpoint
-- Cases from before the metrics: their agent replies are counted from the stored messages (first contact resolution).
UPDATE "cases" SET "agent_reply_count" = m."n" FROM (SELECT "case_id", count(*)::int AS "n" FROM "case_messages" WHERE "direction" = 'agent' GROUP BY "case_id") m WHERE m."case_id" = "cases"."id";
