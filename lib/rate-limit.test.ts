import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

describe("createRateLimiter", () => {
  it("allows the limit per window per client, then says when to retry", () => {
    let time = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => time });
    expect(limiter.take("a")).toEqual({ ok: true });
    expect(limiter.take("a")).toEqual({ ok: true });
    expect(limiter.take("b")).toEqual({ ok: true });
    time = 15_000;
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 45 });
    time = 60_000;
    expect(limiter.take("a")).toEqual({ ok: true });
  });
});
