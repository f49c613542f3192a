CREATE TABLE "customers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"email" text,
	"name" text,
	"country" text,
	"orders_count" integer,
	"total_spent" numeric,
	"currency" text,
	"provider_updated_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_fulfillments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"order_external_id" text NOT NULL,
	"status" text NOT NULL,
	"shipment_status" text,
	"carrier" text,
	"tracking_number" text,
	"tracking_url" text,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fulfilled_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"provider_updated_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"order_external_id" text NOT NULL,
	"amount" numeric NOT NULL,
	"currency" text,
	"note" text,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"refunded_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "matched_order_id" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_provider_external_uq" ON "customers" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "customers" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "order_fulfillments_provider_external_uq" ON "order_fulfillments" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "order_fulfillments_order_idx" ON "order_fulfillments" USING btree ("provider","order_external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_refunds_provider_external_uq" ON "order_refunds" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "order_refunds_order_idx" ON "order_refunds" USING btree ("provider","order_external_id");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_matched_order_id_orders_id_fk" FOREIGN KEY ("matched_order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("provider","customer_external_id");