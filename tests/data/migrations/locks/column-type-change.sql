CREATE TABLE "Old" ("id" TEXT, "title" VARCHAR(100), "price" DECIMAL(10,2), "count" INTEGER);
-- Old is created in this file: statements on it are not judged.
ALTER TABLE "Invoice" ALTER COLUMN "amount" SET DATA TYPE BIGINT; -- expect: column-type-change
ALTER TABLE "Invoice" ALTER COLUMN "note" TYPE VARCHAR(10); -- expect: column-type-change
ALTER TABLE "Invoice"
  ALTER COLUMN "a" SET DATA TYPE DECIMAL(65,30), -- expect: column-type-change
  ALTER COLUMN "b" SET DATA TYPE DECIMAL(65,30); -- expect: column-type-change
-- squawk differs on the next line: Old is created in this file
ALTER TABLE "Old" ALTER COLUMN "count" TYPE BIGINT;
-- A widening proven by an earlier statement needs no rewrite.
ALTER TABLE "Invoice" ADD COLUMN "memo" VARCHAR(10);
-- squawk differs on the next line: a widening: no rewrite
ALTER TABLE "Invoice" ALTER COLUMN "memo" TYPE VARCHAR(20);
-- squawk differs on the next line: a widening: no rewrite
ALTER TABLE "Invoice" ALTER COLUMN "memo" SET DATA TYPE TEXT;
ALTER TABLE "Invoice" ALTER COLUMN "memo" TYPE VARCHAR(5); -- expect: column-type-change
ALTER TABLE "Invoice" ADD COLUMN "ratio" NUMERIC(5,2);
-- squawk differs on the next line: a widening: no rewrite
ALTER TABLE "Invoice" ALTER COLUMN "ratio" TYPE NUMERIC(8,2);
ALTER TABLE "Invoice" ALTER COLUMN "ratio" TYPE NUMERIC(8,3); -- expect: column-type-change
-- ALTER TABLE "Invoice" ALTER COLUMN "amount" TYPE TEXT;
SELECT 'ALTER TABLE "Invoice" ALTER COLUMN "amount" TYPE TEXT';
