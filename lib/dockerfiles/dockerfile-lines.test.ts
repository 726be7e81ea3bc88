import { describe, expect, it } from "vitest";
import { DockerfileError, splitDockerfile } from "./dockerfile-lines";

const summary = (text: string, heredocs = true) =>
  splitDockerfile(text, { heredocs }).instructions.map((i) => [i.line, i.keyword, i.flags, i.json ?? i.args.trim()]);

describe("splitDockerfile", () => {
  it.each([
    ["keywords in any case", "from a\nRun b\n", [[1, "FROM", [], "a"], [2, "RUN", [], "b"]]],
    ["leading whitespace, blank lines and comments", "  FROM a\n\n   # c\nRUN b # not a comment\n", [[1, "FROM", [], "a"], [4, "RUN", [], "b # not a comment"]]],
    ["a continuation keeps the text before the escape", "RUN a \\\n  b\\\nc\n", [[1, "RUN", [], "a   bc"]]],
    ["an escaped escape at the end ends the line, as in Docker", "RUN a\\\\\nUSER b\n", [[1, "RUN", [], "a\\\\"], [2, "USER", [], "b"]]],
    ["flags, quoted, up to --", 'COPY --from="build" --chown=1 -- --odd /x\n', [[1, "COPY", ["--from=build", "--chown=1"], "--odd /x"]]],
    ["JSON form", 'CMD ["a", "b"]\nCMD [not json\n', [[1, "CMD", [], ["a", "b"]], [2, "CMD", [], "[not json"]]],
    ["ONBUILD", "ONBUILD RUN x\n", [[1, "ONBUILD", [], "RUN x"]]],
    ["a heredoc body is skipped", "RUN <<EOF\nFROM x\nEOF\nUSER u\n", [[1, "RUN", [], "<<EOF"], [4, "USER", [], "u"]]],
    ["heredoc terminators are exact", "RUN <<EOF\n EOF\nEOF \nEOF\nUSER u\n", [[1, "RUN", [], "<<EOF"], [5, "USER", [], "u"]]],
    ["a heredoc inside ONBUILD", "ONBUILD RUN <<EOF\nx\nEOF\nUSER u\n", [[1, "ONBUILD", [], "RUN <<EOF"], [4, "USER", [], "u"]]],
    ["<<< is not a heredoc", "RUN cat <<<word\nUSER u\n", [[1, "RUN", [], "cat <<<word"], [2, "USER", [], "u"]]],
  ])("%s", (_name, text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it.each([
    ["# escape=`\n# syntax=docker/dockerfile:1\nFROM a\n", "`", "docker/dockerfile:1"],
    ["# ESCAPE = `\nFROM a\n", "`", null],
    ["# other=1\n# escape=`\nFROM a\n", "\\", null],
    ["\n# escape=`\nFROM a\n", "\\", null],
    ["FROM a\n# escape=`\n", "\\", null],
  ])("directives of %j", (text, escape, syntax) => {
    const split = splitDockerfile(text, { heredocs: true });
    expect({ escape: split.escape, syntax: split.syntax }).toEqual({ escape, syntax });
  });

  it.each([
    ["an invalid escape", "# escape=x\nFROM a\n", 1, /invalid escape/],
    ["a repeated directive", "# syntax=a\n# syntax=b\nFROM a\n", 2, /only one syntax/],
    ["an unterminated heredoc", "FROM a\nRUN <<EOF\nx\n", 2, /never closed/],
    ["a heredoc for the classic builder", "FROM a\nCOPY <<EOF /x\nx\nEOF\n", 2, /classic builder/],
  ])("refuses %s", (name, text, line, message) => {
    let error: unknown = null;
    try {
      splitDockerfile(text, { heredocs: !name.includes("classic") });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DockerfileError);
    expect(error).toMatchObject({ line, message: expect.stringMatching(message) });
  });
});
