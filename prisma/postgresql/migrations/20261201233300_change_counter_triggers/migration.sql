-- The change counter that the response cache compares (lib/response-cache) is bumped by
-- the database itself, on every write the cached pages show, whoever makes it. Written by
-- hand (prisma migrate diff knows no triggers), as prisma/migrations/20261201130000_… for SQLite.
CREATE FUNCTION "slimstage_bump_change_counter"() RETURNS trigger AS $$
BEGIN
  UPDATE "ChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Comparison_changed" AFTER INSERT OR DELETE OR UPDATE OF "status", "repo" ON "Comparison"
  FOR EACH STATEMENT EXECUTE FUNCTION "slimstage_bump_change_counter"();
CREATE TRIGGER "Variant_changed" AFTER INSERT OR DELETE OR UPDATE OF "status", "sizeBytes", "runVerdict" ON "Variant"
  FOR EACH STATEMENT EXECUTE FUNCTION "slimstage_bump_change_counter"();
