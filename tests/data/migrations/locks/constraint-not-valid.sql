ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE; -- expect: constraint-not-valid
ALTER TABLE "Order" ADD CONSTRAINT "Order_total_check" CHECK ("total" >= 0); -- expect: constraint-not-valid
ALTER TABLE "Order" ADD COLUMN "shopId" TEXT REFERENCES "Shop"("id"); -- expect: constraint-not-valid
ALTER TABLE "Order" ADD FOREIGN KEY ("a") REFERENCES "A"("id"); -- expect: constraint-not-valid
ALTER TABLE "Order" ADD CONSTRAINT "Order_b_fkey" FOREIGN KEY ("b") REFERENCES "B"("id") NOT VALID;
ALTER TABLE "Order" ADD CONSTRAINT "Order_n_check" CHECK ("n" > 0) NOT VALID;
ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_b_fkey";
-- ALTER TABLE "Order" ADD CONSTRAINT "x" FOREIGN KEY ("x") REFERENCES "X"("id");
SELECT 'ALTER TABLE "Order" ADD CONSTRAINT "y" CHECK (y > 0)';
CREATE TABLE "Fresh" ("id" TEXT, "userId" TEXT);
-- squawk differs on the next line: Fresh is created in this file
ALTER TABLE "Fresh" ADD CONSTRAINT "Fresh_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");
