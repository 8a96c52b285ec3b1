-- A statement to report ends with an "expect" comment naming its rule; every other one must pass.
ALTER TABLE "User" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid(); -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "r" DOUBLE PRECISION DEFAULT random(); -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "seen" TIMESTAMPTZ DEFAULT clock_timestamp(); -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "n" INTEGER DEFAULT nextval('user_n_seq'); -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "legacy" UUID DEFAULT public.uuid_generate_v4(); -- expect: volatile-default
-- squawk differs on the next line: a serial column fills nextval() row by row: a rewrite squawk does not report
ALTER TABLE "User" ADD COLUMN "seq" BIGSERIAL; -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "num" INTEGER GENERATED ALWAYS AS IDENTITY; -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "total" INTEGER GENERATED ALWAYS AS ("a" + "b") STORED; -- expect: volatile-default
ALTER TABLE "User" ADD COLUMN "mine" TEXT DEFAULT my_function(); -- expect: volatile-default
-- Constant and stable defaults are stored once in the catalog (Postgres 11+): no rewrite.
ALTER TABLE "User" ADD COLUMN "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "User" ADD COLUMN "updatedAt" TIMESTAMPTZ DEFAULT now();
ALTER TABLE "User" ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "User" ADD COLUMN "meta" JSONB NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE "User" ADD COLUMN "name" VARCHAR(40) DEFAULT 'x'::character varying(40);
ALTER TABLE "User" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;
-- Not statements: a comment and a string.
-- ALTER TABLE "User" ADD COLUMN "c" UUID DEFAULT gen_random_uuid();
INSERT INTO "Log" ("sql") VALUES ('ALTER TABLE "User" ADD COLUMN "d" UUID DEFAULT gen_random_uuid()');
-- A table created in the same migration is empty.
CREATE TABLE "Fresh" ("id" TEXT NOT NULL);
-- squawk differs on the next line: Fresh is created in this file
ALTER TABLE "Fresh" ADD COLUMN "token" UUID DEFAULT gen_random_uuid();
