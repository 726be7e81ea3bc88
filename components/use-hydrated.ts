// Whether React has taken over the page in this browser: false on the server and while
// hydrating, true afterwards. A button whose handler is not attached yet is shown
// disabled rather than ignoring a click; a time is shown in UTC until the browser's own
// zone is known.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
