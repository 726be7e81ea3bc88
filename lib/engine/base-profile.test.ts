import { describe, expect, it } from "vitest";
import { chooseBaseProfile, probeBases, type BaseAvailability, type StandIns } from "./base-profile";
import { PullFailedError, type Engine } from "./engine";

const GO = "golang:1.23";
const STATIC = "gcr.io/distroless/static-debian12";
const present = (ref: string): BaseAvailability => ({ ref, state: "present" });
const pulled = (ref: string): BaseAvailability => ({ ref, state: "pulled" });
const noNetwork = (ref: string): BaseAvailability => ({ ref, state: "failed", kind: "unreachable", reason: `No network: ${ref}` });
const notRoot: StandIns = { state: "cannot-make", why: "building them needs root", notDebian: false };
const notDebian: StandIns = { state: "cannot-make", why: "building them needs a Debian host", notDebian: true };

describe("chooseBaseProfile", () => {
  const cases: Array<[string, BaseAvailability, BaseAvailability, StandIns, string | null, RegExp]> = [
    ["registry answers", pulled(GO), pulled(STATIC), notRoot, "official", /pulled golang:1\.23 and pulled gcr/],
    ["images already there, no registry", present(GO), present(STATIC), { state: "present" }, "official", /has golang:1\.23 and has gcr/],
    ["no registry, stand-ins there", noNetwork(GO), noNetwork(STATIC), { state: "present" }, "offline", /cannot pull golang:1\.23 \(No network.*stand-ins are there/],
    ["no registry, root on Debian", noNetwork(GO), noNetwork(STATIC), { state: "can-make" }, "offline", /making the local stand-ins/],
    ["only the static base unreachable, stand-ins can be made", pulled(GO), noNetwork(STATIC), { state: "can-make" }, "offline", /cannot pull gcr.*making/],
    ["no registry, not root", noNetwork(GO), noNetwork(STATIC), notRoot, null, /Two ways out/],
    ["no registry, not Debian", noNetwork(GO), present(STATIC), notDebian, null, /Two ways out/],
  ];
  it.each(cases)("%s", (_name, builder, staticBase, standIns, profile, why) => {
    const choice = chooseBaseProfile(builder, staticBase, standIns);
    expect(choice.profile).toBe(profile);
    expect(choice.why).toMatch(why);
  });

  it("with the builder but not the static base and no stand-ins, uses the official images and warns", () => {
    const choice = chooseBaseProfile(pulled(GO), noNetwork(STATIC), notRoot);
    expect(choice).toMatchObject({ profile: "official", warning: expect.stringMatching(/distroless variant will be skipped/) });
  });

  it("names exactly the two ways out that fit the host", () => {
    const ways = (standIns: StandIns) => chooseBaseProfile(noNetwork(GO), noNetwork(STATIC), standIns).why.split("\n").filter((line) => /^ {2}\d\. /.test(line));
    expect(ways(notRoot)).toHaveLength(2);
    expect(ways(notRoot)[0]).toMatch(/registry mirror.*docker load/);
    expect(ways(notRoot)[1]).toMatch(/sudo bash scripts\/base-images\.sh/);
    expect(ways(notDebian)[1]).toMatch(/on a Debian machine.*docker save .*\| docker load/);
  });
});

// An engine that has some images and answers pulls as told; no real engine needed.
function fakeEngine(has: string[], pulls: Record<string, "ok" | "silent" | Error>): Pick<Engine, "image" | "pull"> {
  return {
    image: async (ref) => (has.includes(ref) ? { id: "sha256:x", sizeBytes: 1, historyLength: 1 } : null),
    pull: (ref, onProgress, signal) =>
      new Promise((resolve, reject) => {
        const outcome = pulls[ref];
        if (outcome instanceof Error) return reject(outcome);
        if (outcome === "ok") {
          onProgress("Pulling from library/golang");
          return resolve();
        }
        signal?.addEventListener("abort", () => reject(new Error("aborted")));
      }),
  };
}

describe("probeBases", () => {
  it("tells present, pulled, refused and silent registries apart", async () => {
    const lines: string[] = [];
    const engine = fakeEngine(["a:1"], { "b:1": "ok", "c:1": new PullFailedError("c:1", "not-found", "The registry has no image c:1 (manifest unknown). Check the name.", "manifest unknown"), "d:1": "silent" });
    const results = await probeBases(engine, ["a:1", "b:1", "c:1", "d:1"], { answerWithinMs: 50, onProgress: (ref, line) => lines.push(`${ref} ${line}`) });
    expect(results).toEqual([
      { ref: "a:1", state: "present" },
      { ref: "b:1", state: "pulled" },
      { ref: "c:1", state: "failed", kind: "not-found", reason: "not found: manifest unknown" },
      { ref: "d:1", state: "failed", kind: "no-answer", reason: "no registry answered for d:1 within 0 s" },
    ]);
    expect(lines).toEqual(["b:1 Pulling from library/golang"]);
  });

  it("an error that is not a pull failure (the engine gone) is not a profile decision", async () => {
    const engine = fakeEngine([], { "a:1": new Error("socket hang up") });
    await expect(probeBases(engine, ["a:1"])).rejects.toThrow("socket hang up");
  });
});
