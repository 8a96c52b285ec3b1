CREATE INDEX "Order_userId_idx" ON "Order"("userId"); -- expect: index-not-concurrent
CREATE UNIQUE INDEX "User_email_key" ON "User"("email"); -- expect: index-not-concurrent
CREATE INDEX IF NOT EXISTS "Order_a_idx" ON ONLY "Order" USING btree ("a"); -- expect: index-not-concurrent
create index -- expect: index-not-concurrent
  order_b_idx on public.orders (b);
CREATE INDEX CONCURRENTLY "Order_c_idx" ON "Order"("c");
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Order_d_key" ON "Order"("d");
-- CREATE INDEX "x" ON "Order"("x");
SELECT 'CREATE INDEX "y" ON "Order"("y")';
CREATE TABLE "Fresh" ("id" TEXT, "userId" TEXT);
-- squawk differs on the next line: Fresh is created in this file
CREATE INDEX "Fresh_userId_idx" ON "Fresh"("userId");
-- squawk differs on the next line: Fresh is created in this file
CREATE UNIQUE INDEX "Fresh_id_key" ON public."Fresh"("id");
