-- The change counter that the response cache compares (lib/response-cache) is bumped by
-- the database itself, on every write the cached pages show, whoever makes it: the app,
-- an operator's SQL, a test. (Prisma keeps triggers it did not create out of its diffs.)
CREATE TRIGGER "Comparison_changed_insert" AFTER INSERT ON "Comparison"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Comparison_changed_update" AFTER UPDATE OF "status", "repo" ON "Comparison"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Comparison_changed_delete" AFTER DELETE ON "Comparison"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Variant_changed_insert" AFTER INSERT ON "Variant"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Variant_changed_update" AFTER UPDATE OF "status", "sizeBytes", "runVerdict" ON "Variant"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Variant_changed_delete" AFTER DELETE ON "Variant"
BEGIN UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1; END;
