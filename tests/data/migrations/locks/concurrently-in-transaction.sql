BEGIN;
CREATE INDEX CONCURRENTLY "Order_a_idx" ON "Order"("a"); -- expect: concurrently-in-transaction
DROP INDEX CONCURRENTLY "Order_old_idx"; -- expect: concurrently-in-transaction
COMMIT;
-- Outside BEGIN … COMMIT Postgres runs it (a runner that sends the file as one query, as Prisma
-- does, is judged by the check, which knows the layout).
CREATE UNIQUE INDEX CONCURRENTLY "Order_b_key" ON "Order"("b");
START TRANSACTION;
REINDEX INDEX CONCURRENTLY "Order_c_idx"; -- expect: concurrently-in-transaction
ROLLBACK;
-- BEGIN; CREATE INDEX CONCURRENTLY "x" ON "Order"("x");
SELECT 'BEGIN; CREATE INDEX CONCURRENTLY "y" ON "Order"("y")';
DO $$ BEGIN PERFORM 1; END $$;
CREATE INDEX CONCURRENTLY "Order_d_idx" ON "Order"("d");
