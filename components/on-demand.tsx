"use client";
// The comparison page's client islands that it shows only sometimes: the live progress
// while the comparison runs, Cancel/Delete in the browser that submitted it, and the
// one-click resubmissions after some failures. Each is loaded as a chunk of its own when
// it is rendered (React's lazy()), so the first load of a finished comparison — what a
// visitor following a shared link gets — carries none of their code. The server still
// renders them into the page's HTML (Suspense waits for the import there), and hydration
// picks them up once their chunk has arrived.
import { lazy, Suspense, type ComponentType, type ReactNode } from "react";

/** The component `load` resolves to, rendered once its chunk is there (nothing until then). */
function onDemand<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => ReactNode {
  const View = lazy(async () => ({ default: await load() }));
  return function OnDemand(props: P) {
    return (
      <Suspense fallback={null}>
        <View {...props} />
      </Suspense>
    );
  };
}

export const LiveProgress = onDemand(() => import("./live-progress").then((module) => module.LiveProgress));
export const OwnerActions = onDemand(() => import("./owner-actions").then((module) => module.OwnerActions));
export const ResubmitButtons = onDemand(() => import("./resubmit-buttons").then((module) => module.ResubmitButtons));
