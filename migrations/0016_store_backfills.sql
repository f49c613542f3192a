CREATE TABLE "store_backfills" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"shop" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"cursor" text,
	"done" integer DEFAULT 0 NOT NULL,
	"estimated" integer,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "store_backfills_provider_shop_uq" ON "store_backfills" USING btree ("provider","shop");