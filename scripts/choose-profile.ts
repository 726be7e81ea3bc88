// The base profile for the first command, asked of the engine (lib/engine/base-profile.ts):
// prints `official` or `offline` on stdout, and on stderr which one and why. Exits 3
// with the two ways out when neither can work here. Called by scripts/choose-profile.sh,
// which says whether the stand-ins exist or can be made:
//   npx tsx scripts/choose-profile.ts "$(bash scripts/base-images.sh --check)"
import { ConfigError, loadConfig } from "@/lib/config";
import { chooseBaseProfile, probeBases, type StandIns } from "@/lib/engine/base-profile";
import { dockerEngine } from "@/lib/engine/docker-engine";

const ANSWER_WITHIN_MS = 60_000;
const say = (line: string) => process.stderr.write(`[slimstage] ${line}\n`);

function standInsFrom(check: string): StandIns {
  if (check === "present" || check === "can-make") return { state: check };
  const why = check.replace(/^cannot-make:\s*/, "") || "they are missing";
  return { state: "cannot-make", why, notDebian: /Debian/.test(why) };
}

async function main() {
  let official;
  try {
    // The official images as this machine configures them (SLIMSTAGE_BASE_GOLANG, _STATIC).
    official = loadConfig({ ...process.env, SLIMSTAGE_BASE_PROFILE: "official" });
  } catch (error) {
    if (error instanceof ConfigError) {
      say(error.message);
      process.exit(2);
    }
    throw error;
  }
  const versions = Object.keys(official.baseImages.golang).sort((a, b) => {
    const [x, y] = [a, b].map((v) => v.split(".").map(Number));
    return x[0] - y[0] || x[1] - y[1];
  });
  const builder = official.baseImages.golang[versions[versions.length - 1]];
  const engine = dockerEngine(official.dockerHost);
  say(`asking the engine for the official base images ${builder} and ${official.baseImages.static} (a registry has ${ANSWER_WITHIN_MS / 1000} s to answer)`);
  const [builderBase, staticBase] = await probeBases(engine, [builder, official.baseImages.static], {
    answerWithinMs: ANSWER_WITHIN_MS,
    onProgress: (ref, line) => say(`  ${ref}: ${line}`),
  });
  const choice = chooseBaseProfile(builderBase, staticBase, standInsFrom(process.argv[2]?.trim() ?? ""));
  if (choice.profile === null) {
    say(choice.why);
    process.exit(3);
  }
  say(`base profile: ${choice.profile}: ${choice.why}`);
  if (choice.warning) say(`warning: ${choice.warning}`);
  process.stdout.write(`${choice.profile}\n`);
}

main().catch((error: unknown) => {
  say(`could not ask the engine about base images: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
