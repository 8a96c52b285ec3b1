ALTER TABLE "User" RENAME COLUMN "name" TO "fullName"; -- expect: rename
ALTER TABLE "User" RENAME "email" TO "mail"; -- expect: rename
ALTER TABLE "Account" RENAME TO "Profile"; -- expect: rename
ALTER TABLE "User" RENAME CONSTRAINT "a" TO "b";
ALTER INDEX "User_a_idx" RENAME TO "User_b_idx";
-- ALTER TABLE "User" RENAME COLUMN "x" TO "y";
SELECT 'ALTER TABLE "User" RENAME TO "Person"';
CREATE TABLE "new_User" ("id" TEXT);
-- squawk differs on the next line: new_User is created in this file
ALTER TABLE "new_User" RENAME TO "User2";
