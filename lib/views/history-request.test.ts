import { describe, expect, it } from "vitest";
import { comparisonNotFound, repositoryNotFound } from "@/lib/comparisons/ids";
import { errorResponse } from "@/lib/http";
import { silentLogger } from "@/lib/log";
import { parseHistoryRequest } from "./history-request";

const query = (text: string) => new URLSearchParams(text);

describe("parseHistoryRequest", () => {
  it.each([
    ["repo=https://github.com/owner/name", "https://github.com/owner/name"],
    ["repo=https%3A%2F%2Fgithub.com%2Fowner%2Fname.git", "https://github.com/owner/name"],
    ["repo=example:loadlocation", "example:loadlocation"],
    ["repo=%2Fsrv%2Fgit%2Fapp", "file:///srv/git/app"],
  ])("%s names %s", (text, repo) => {
    const target = parseHistoryRequest(query(text));
    expect(target.repo).toBe(repo);
    expect(target.spellings).toContain(repo);
  });

  it.each([
    ["no repo", ""],
    ["an empty repo", "repo="],
    ["a repo that is not a URL", "repo=github.com/owner/name"],
    ["an unknown scheme", "repo=ssh://host/x"],
    ["a repo that is too long", `repo=https://host/${"a".repeat(2100)}`],
  ])("answers %s with 400 INVALID_QUERY naming the parameter", async (_name, text) => {
    let thrown: unknown;
    try {
      parseHistoryRequest(query(text));
    } catch (error) {
      thrown = error;
    }
    const response = errorResponse(thrown, "test", silentLogger());
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; field: string } };
    expect(body.error).toMatchObject({ code: "INVALID_QUERY", field: "repo" });
    expect(body.error.message).toMatch(/^repo: /);
  });
});

describe("repositoryNotFound", () => {
  it("is the API's 404 NOT_FOUND, as for an unknown comparison", async () => {
    const response = errorResponse(repositoryNotFound("https://github.com/nobody/nothing"), "test", silentLogger());
    const unknownId = errorResponse(comparisonNotFound("x"), "test", silentLogger());
    expect(response.status).toBe(404);
    expect(unknownId.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, string> };
    expect(Object.keys(body.error)).toEqual(Object.keys(((await unknownId.json()) as { error: Record<string, string> }).error));
    expect(body.error).toEqual({ code: "NOT_FOUND", message: 'No comparison is of the repository "https://github.com/nobody/nothing".' });
  });
});
