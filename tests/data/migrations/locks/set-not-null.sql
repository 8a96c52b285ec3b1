ALTER TABLE "User" ALTER COLUMN "plan" SET NOT NULL; -- expect: set-not-null
ALTER TABLE "User" ALTER "role" SET NOT NULL, ALTER COLUMN "x" DROP NOT NULL; -- expect: set-not-null
-- A validated CHECK (col IS NOT NULL) lets Postgres 12+ skip the scan.
ALTER TABLE "User" ADD CONSTRAINT "User_email_nn" CHECK ("email" IS NOT NULL) NOT VALID;
ALTER TABLE "User" VALIDATE CONSTRAINT "User_email_nn";
ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
-- Added NOT VALID and never validated: still a scan.
ALTER TABLE "User" ADD CONSTRAINT "User_phone_nn" CHECK ("phone" IS NOT NULL) NOT VALID;
ALTER TABLE "User" ALTER COLUMN "phone" SET NOT NULL; -- expect: set-not-null
ALTER TABLE "User" ALTER COLUMN "y" DROP NOT NULL;
-- ALTER TABLE "User" ALTER COLUMN "z" SET NOT NULL;
SELECT 'ALTER TABLE "User" ALTER COLUMN "z" SET NOT NULL';
CREATE TABLE "Fresh" ("id" TEXT);
-- squawk differs on the next line: Fresh is created in this file
ALTER TABLE "Fresh" ALTER COLUMN "id" SET NOT NULL;
