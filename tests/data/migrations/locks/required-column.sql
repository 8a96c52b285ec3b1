ALTER TABLE "User" ADD COLUMN "plan" TEXT NOT NULL; -- expect: required-column
ALTER TABLE "User" ADD "role" "Role" NOT NULL, ADD COLUMN "note" TEXT; -- expect: required-column
ALTER TABLE "User" ADD COLUMN "plan2" TEXT NOT NULL DEFAULT 'free';
ALTER TABLE "User" ADD COLUMN "plan3" TEXT;
ALTER TABLE "User" ADD CONSTRAINT "c" CHECK ("plan" IS NOT NULL) NOT VALID;
/* ALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL; */
SELECT 'ALTER TABLE "User" ADD COLUMN "y" TEXT NOT NULL';
CREATE TABLE "Fresh" ("id" TEXT);
-- squawk differs on the next line: Fresh is created in this file
ALTER TABLE "Fresh" ADD COLUMN "plan" TEXT NOT NULL;
