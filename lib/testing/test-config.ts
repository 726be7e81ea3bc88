// The configuration as a test (or a script run by hand) sees it: read from the
// environment at each call, so a test that sets a variable in its beforeAll is heard,
// and handed down as the app's roots hand it down. Production code never reads it.
import { loadConfig, type BaseImages, type Config } from "@/lib/config";
import { makeSourceResolver, type SourceResolver } from "@/lib/source/resolve";

export const testConfig = (): Config => loadConfig();

export const testBases = (): BaseImages => testConfig().baseImages;

/** A source resolver with the current environment's policy, limits and examples. */
export const resolveSource: SourceResolver = (request) => {
  const config = testConfig();
  return makeSourceResolver({ policy: config.repoPolicy, limits: config.cloneLimits, examplesDir: config.examplesDir })(request);
};
