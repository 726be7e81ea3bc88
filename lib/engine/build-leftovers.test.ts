import { describe, expect, it } from "vitest";
import { CommittedImages, removeCommittedImages, type ImageStore } from "./build-leftovers";

// Output of Engine 20.10's classic builder for a failed two-stage build (recorded), and
// the same build again with the first stage cached.
const FAILED = `Step 1/7 : FROM slimstage/bookworm-minbase:local AS b
 ---> 49f595573018
Step 2/7 : RUN echo one > /one
 ---> Running in a9d3af64d9cb
Removing intermediate container a9d3af64d9cb
 ---> 8b2994be9336
Step 3/7 : ENV X=1
 ---> Running in 4c5f406d5c5a
Removing intermediate container 4c5f406d5c5a
 ---> 41717049e21c
Step 4/7 : RUN echo two > /two
 ---> Running in ff03ce3b7570
Removing intermediate container ff03ce3b7570
 ---> 6901a538b2c0
Step 5/7 : FROM slimstage/bookworm-minbase:local
 ---> 49f595573018
Step 6/7 : COPY --from=b /two /two
 ---> 6a867b6956ad
Step 7/7 : RUN false
 ---> Running in 42659455d330
Removing intermediate container 42659455d330
The command '/bin/sh -c false' returned a non-zero code: 1`;

const CACHED = `Step 1/4 : FROM slimstage/bookworm-minbase:local AS b
 ---> 49f595573018
Step 2/4 : RUN echo one > /one
 ---> Using cache
 ---> 8b2994be9336
Step 3/4 : FROM b
 ---> 8b2994be9336
Step 4/4 : RUN echo three
 ---> Running in 95898ad361e3
 ---> c113f070ee3d`;

const PODMAN = `STEP 1/3: FROM localhost/base
STEP 2/3: RUN echo one
--> Using cache 1f2e3d4c5b6a
--> 1f2e3d4c5b6a
STEP 3/3: RUN echo two
--> 9a8b7c6d5e4f`;

describe("CommittedImages", () => {
  it.each([
    { name: "a failed two-stage build: every committed step, no base", log: FAILED, ids: ["8b2994be9336", "41717049e21c", "6901a538b2c0", "6a867b6956ad"] },
    { name: "cache hits and FROM an earlier stage are not this build's", log: CACHED, ids: ["c113f070ee3d"] },
    { name: "Podman's output", log: PODMAN, ids: ["9a8b7c6d5e4f"] },
    { name: "nothing built", log: "Step 1/2 : FROM nothing:here\npull access denied", ids: [] },
  ])("$name", ({ log, ids }) => {
    const committed = new CommittedImages();
    for (const line of log.split("\n")) committed.read(line);
    expect(committed.list()).toEqual(ids);
  });
});

/** An engine's images as a parent map; removal refuses tagged images, parents and images in use. */
function fakeStore(images: Record<string, { parent?: string; tags?: string[]; usedBy?: string }>): ImageStore & { left: () => string[] } {
  const store = new Map(Object.entries(images));
  return {
    left: () => [...store.keys()].sort(),
    tags: async (id) => store.get(id)?.tags ?? (store.has(id) ? [] : null),
    removeOne: async (id) => {
      const image = store.get(id);
      if (!image) throw new Error("No such image");
      if ([...store.values()].some((other) => other.parent === id)) throw new Error(`conflict: unable to delete ${id} (cannot be forced) - image has dependent child images`);
      if (image.usedBy) {
        const container = image.usedBy;
        delete image.usedBy; // the canceled step's container goes away a moment later
        throw new Error(`conflict: unable to delete ${id} (must be forced) - image is being used by stopped container ${container}`);
      }
      store.delete(id);
    },
  };
}

describe("removeCommittedImages", () => {
  it("removes the build's own chain, newest first, and leaves the base", async () => {
    const store = fakeStore({ base: { tags: ["base:1"] }, a: { parent: "base" }, b: { parent: "a" }, c: { parent: "b" } });
    const result = await removeCommittedImages(["a", "b", "c"], store);
    expect(result.removed).toEqual(["c", "b", "a"]);
    expect(store.left()).toEqual(["base"]);
  });

  it("leaves an image another build is built on, and everything below it", async () => {
    const store = fakeStore({ a: { parent: "base" }, b: { parent: "a" }, other: { parent: "a" }, base: { tags: ["base:1"] } });
    const result = await removeCommittedImages(["a", "b"], store);
    expect(result.removed).toEqual(["b"]);
    expect(result.kept.map((k) => k.id)).toEqual(["a"]);
    expect(store.left()).toEqual(["a", "base", "other"]);
  });

  it("leaves a tagged image", async () => {
    const store = fakeStore({ a: { tags: ["mine:1"] } });
    expect((await removeCommittedImages(["a"], store)).kept).toEqual([{ id: "a", why: "tagged mine:1" }]);
    expect(store.left()).toEqual(["a"]);
  });

  it("waits for a canceled step's container, then removes the image and its parents", async () => {
    const store = fakeStore({ a: {}, b: { parent: "a", usedBy: "42659455d330" } });
    const once = await removeCommittedImages(["a", "b"], fakeStore({ a: {}, b: { parent: "a", usedBy: "x" } }), 0);
    expect(once.removed).toEqual([]);
    const retried = await removeCommittedImages(["a", "b"], store, 3, 1);
    expect(retried.removed).toEqual(["b", "a"]);
    expect(store.left()).toEqual([]);
  });

  it("skips images already gone", async () => {
    const store = fakeStore({ b: {} });
    expect((await removeCommittedImages(["a", "b"], store)).removed).toEqual(["b"]);
  });
});
