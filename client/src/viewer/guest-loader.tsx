/**
 * The guest's camera panel (preview, "Join stage") is a chunk of its own:
 * publishing is for guests only, so viewers never download it, and a guest
 * starts loading it at boot, alongside the room socket.
 */
import { signal } from "@preact/signals";
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { GuestPanelProps } from "./GuestPanel.tsx";

/** The session the guest publishes on: the stage player must not pull the guest's own tracks back. */
export const guestSession = signal<string | null>(null);

let loading: Promise<ComponentType<GuestPanelProps>> | null = null;

export function loadGuestPanel() {
  loading ??= import("./GuestPanel.tsx").then(
    (module) => module.GuestPanel,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

export function GuestPanelLoader(props: GuestPanelProps) {
  const [Panel, setPanel] = useState<ComponentType<GuestPanelProps> | null>(null);
  useEffect(() => {
    loadGuestPanel().then((panel) => setPanel(() => panel), () => {});
  }, []);
  return Panel && <Panel {...props} />;
}
