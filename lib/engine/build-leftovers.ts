// What a failed build leaves behind, and its removal. The classic builder commits an
// image after every step; `rm`/`forcerm` remove the step containers, but the images of
// the steps that succeeded stay as untagged, unlabelled "<none>" images (the build's
// labels go only on the final image), found by nothing. Verified on Engine 20.10: a
// failed two-stage build leaves the tip of each stage dangling, with the earlier steps
// as their untagged parents.
//
// So the builder's log is read for the images this build itself committed (" ---> ID"
// after a step that was neither a FROM nor a cache hit), and after a failure exactly
// those are removed, newest first, one by one, without force and without pruning
// parents: an image that has a tag, a child (another build's cache hit) or a container
// using it is left alone, and base images or other builds' images are never named.

/** Reads builder output lines and remembers the image IDs the build committed itself. */
export class CommittedImages {
  private readonly ids: string[] = [];
  private fromStep = false;
  private cached = false;

  /** One line of the classic builder's output (Docker "Step 2/5 : RUN …", " ---> 3f2e…"; Podman "STEP 2/5: …", "--> 3f2e…"). */
  read(line: string): void {
    const step = line.match(/^(?:Step|STEP) \d+\/\d+ ?: ?(.*)$/);
    if (step) {
      this.fromStep = /^FROM\s/i.test(step[1]);
      this.cached = false;
      return;
    }
    const arrow = line.match(/^\s*-{2,3}> (.*)$/);
    if (!arrow) return;
    const rest = arrow[1].trim();
    if (/^Using cache\b/i.test(rest)) {
      this.cached = true;
      return;
    }
    const id = rest.match(/^([0-9a-f]{12,64})$/);
    if (id && !this.fromStep && !this.cached && !this.ids.includes(id[1])) this.ids.push(id[1]);
  }

  /** Oldest first. */
  list(): string[] {
    return [...this.ids];
  }
}

export interface ImageStore {
  /** The image's tags, or null when it is gone. */
  tags(id: string): Promise<string[] | null>;
  /** Removes one image without force and without its parents; rejects with the engine's conflict. */
  removeOne(id: string): Promise<void>;
}

export type Removal = { removed: string[]; kept: Array<{ id: string; why: string }> };

/** Removes the given images newest first, leaving any that are tagged or still in use. */
export async function removeCommittedImages(ids: string[], store: ImageStore, retries = 0, pauseMs = 500): Promise<Removal> {
  const removed: string[] = [];
  let kept: Array<{ id: string; why: string }> = [];
  let pending = [...ids].reverse();
  for (let attempt = 0; attempt <= retries && pending.length; attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    kept = [];
    for (const id of pending) {
      const tags = await store.tags(id).catch(() => null);
      if (tags === null) continue;
      if (tags.length) {
        kept.push({ id, why: `tagged ${tags.join(", ")}` });
        continue;
      }
      try {
        await store.removeOne(id);
        removed.push(id);
      } catch (error) {
        kept.push({ id, why: error instanceof Error ? error.message : String(error) });
      }
    }
    // Only a container still going away (a canceled step) is worth waiting for; then the
    // parents it held back are tried again too.
    pending = kept.some((k) => /container/i.test(k.why)) ? kept.filter((k) => !k.why.startsWith("tagged")).map((k) => k.id) : [];
  }
  return { removed, kept };
}
