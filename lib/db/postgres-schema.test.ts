// The PostgreSQL schema is generated, never edited: the committed file must be what the
// generator makes of the committed SQLite schema now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, postgresSchema, schemaColumns } from "@/lib/db/postgres-schema";

const sqlite = readFileSync(SQLITE_SCHEMA, "utf8");

describe("postgresSchema", () => {
  it("matches the committed prisma/postgresql/schema.prisma (else run `npm run db:schema` and add a migration)", () => {
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(postgresSchema(sqlite));
  });

  it("changes the provider, the placeholder url and the client folder, and nothing else", () => {
    const generated = postgresSchema(sqlite);
    expect(generated).toContain('provider = "postgresql"');
    expect(generated).toContain('output     = "../../lib/generated/prisma-pg"');
    expect(generated).not.toContain('"sqlite"');
    const changed = (text: string) => text.split("\n").filter((line) => !sqlite.split("\n").includes(line));
    const body = generated.slice(generated.indexOf("generator client"));
    expect(changed(body).map((line) => line.trim().split(/\s+/)[0])).toEqual(["output", "provider", "url"]);
  });

  it.each([
    ["no sqlite provider", sqlite.replace('"sqlite"', '"mysql"'), /sqlite datasource provider once, found it 0/],
    ["a second client output", `${sqlite}\ngenerator other {\n  output = "../lib/generated/prisma"\n}\n`, /client output folder once, found it 2/],
  ])("refuses a schema with %s", (_, text, error) => {
    expect(() => postgresSchema(text)).toThrow(error);
  });
});

describe("schemaColumns", () => {
  it("lists scalar fields as columns, not relations or block attributes", () => {
    const columns = schemaColumns(`model A {\n  id String @id\n  bs B[]\n  n Int? // note\n  @@index([n])\n}\n\nmodel B {\n  id Int @id\n  a A @relation(fields: [aId], references: [id])\n  aId String\n}\n`);
    expect(Object.fromEntries(columns)).toEqual({ A: ["id", "n"], B: ["id", "aId"] });
  });

  it("finds every model of the real schema", () => {
    const columns = schemaColumns(sqlite);
    expect(columns.get("Comparison")).toContain("cancelRequested");
    expect(columns.get("ChangeCounter")).toEqual(["id", "version"]);
    expect(columns.size).toBeGreaterThanOrEqual(9);
  });
});
