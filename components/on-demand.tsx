"use client";
// The comparison page's client islands that it shows only sometimes: the live progress
// while the comparison runs, Cancel/Delete in the browser that submitted it, and the
// one-click resubmissions after some failures. Each is loaded as a chunk of its own when
// it is rendered (React's lazy()), so the first load of a finished comparison — what a
// visitor following a shared link gets — carries none of their code. The server still
// renders them into the page's HTML (Suspense waits for the import there), and hydration
// picks them up once their chunk has arrived.
import { lazy, Suspense, type ComponentProps } from "react";

const LiveProgressView = lazy(() => import("./live-progress").then((module) => ({ default: module.LiveProgress })));
const OwnerActionsView = lazy(() => import("./owner-actions").then((module) => ({ default: module.OwnerActions })));
const ResubmitButtonsView = lazy(() => import("./resubmit-buttons").then((module) => ({ default: module.ResubmitButtons })));

export function LiveProgress(props: ComponentProps<typeof LiveProgressView>) {
  return (
    <Suspense fallback={null}>
      <LiveProgressView {...props} />
    </Suspense>
  );
}

export function OwnerActions(props: ComponentProps<typeof OwnerActionsView>) {
  return (
    <Suspense fallback={null}>
      <OwnerActionsView {...props} />
    </Suspense>
  );
}

export function ResubmitButtons(props: ComponentProps<typeof ResubmitButtonsView>) {
  return (
    <Suspense fallback={null}>
      <ResubmitButtonsView {...props} />
    </Suspense>
  );
}
