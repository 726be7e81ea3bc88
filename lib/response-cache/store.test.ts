import { describe, expect, it } from "vitest";
import { ResponseStore, type KeptResponse } from "./store";

const entry = (text: string): KeptResponse => ({
  status: 200,
  headers: [],
  body: new TextEncoder().encode(text).buffer as ArrayBuffer,
  storedAt: 0,
  dataVersion: 0,
});
const text = (kept: KeptResponse | undefined) => (kept ? new TextDecoder().decode(kept.body) : undefined);

describe("ResponseStore", () => {
  it("keeps at most maxEntries, dropping the least recently used", () => {
    const store = new ResponseStore(2);
    store.set("a", entry("A"));
    store.set("b", entry("B"));
    expect(text(store.get("a"))).toBe("A"); // a is now the most recently used
    store.set("c", entry("C"));
    expect(store.size).toBe(2);
    expect(store.get("b")).toBeUndefined();
    expect(text(store.get("a"))).toBe("A");
    expect(text(store.get("c"))).toBe("C");
  });

  it.each([
    ["fit", [["a", 40], ["b", 40]], ["a", "b"]],
    ["push out the least recently used beyond maxBytes", [["a", 60], ["b", 50]], ["b"]],
    ["leave out an answer bigger than maxEntryBytes", [["a", 60], ["b", 61]], ["a"]],
    ["count a replaced answer once", [["a", 50], ["a", 50], ["b", 50]], ["a", "b"]],
  ] as const)("answers that %s", (_what, sets, kept) => {
    const store = new ResponseStore(10, 100, 60);
    for (const [key, bytes] of sets) store.set(key, entry("x".repeat(bytes)));
    expect(["a", "b"].filter((key) => store.get(key) !== undefined)).toEqual(kept);
  });

  it("replaces and deletes", () => {
    const store = new ResponseStore(2);
    store.set("a", entry("A"));
    store.set("a", entry("A2"));
    expect(store.size).toBe(1);
    expect(text(store.get("a"))).toBe("A2");
    store.delete("a");
    expect(store.get("a")).toBeUndefined();
  });

  it("renders a key once for callers that arrive meanwhile, and again afterwards", async () => {
    const store = new ResponseStore(2);
    let renders = 0;
    let finish: (value: string) => void = () => {};
    const render = () => {
      renders++;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = store.once("a", render);
    const second = store.once("a", render);
    const other = store.once("b", () => Promise.resolve("other"));
    finish("page");
    expect(await Promise.all([first, second, other])).toEqual(["page", "page", "other"]);
    expect(renders).toBe(1);
    const third = store.once("a", render);
    finish("page again");
    expect(await third).toBe("page again");
    expect(renders).toBe(2);
  });

  it("lets the next caller try again after a failed render", async () => {
    const store = new ResponseStore(2);
    await expect(store.once("a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await store.once("a", () => Promise.resolve("ok"))).toBe("ok");
  });
});
