ALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id"); -- expect: key-without-index
ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email"); -- expect: key-without-index
ALTER TABLE "User" ADD UNIQUE ("handle"); -- expect: key-without-index
ALTER TABLE "User" ADD COLUMN "uid" INTEGER PRIMARY KEY; -- expect: key-without-index
ALTER TABLE "User" ADD CONSTRAINT "User_pkey2" PRIMARY KEY USING INDEX "User_pkey2";
ALTER TABLE "User" ADD CONSTRAINT "User_slug_key" UNIQUE USING INDEX "User_slug_key";
-- ALTER TABLE "User" ADD CONSTRAINT "x" UNIQUE ("x");
SELECT 'ALTER TABLE "User" ADD PRIMARY KEY ("y")';
CREATE TABLE "Fresh" ("id" TEXT);
-- squawk differs on the next line: Fresh is created in this file
ALTER TABLE "Fresh" ADD CONSTRAINT "Fresh_pkey" PRIMARY KEY ("id");
