CREATE TABLE "orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"customer_name" text,
	"customer_external_id" text,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"country" text,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"financial_status" text,
	"fulfillment_status" text,
	"placed_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"provider_updated_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "order_external_id" text;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "customer_name" text;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_provider_external_uq" ON "orders" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "orders_name_idx" ON "orders" USING btree ("name");--> statement-breakpoint
CREATE INDEX "orders_email_idx" ON "orders" USING btree (lower("email"));