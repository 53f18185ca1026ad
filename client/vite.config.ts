import { resolve } from "node:path";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

const here = import.meta.dirname;

// Three pages, each with only the code it needs: the landing page (create a
// shop-along), the viewer page (also the guest page) and the host studio.
export default defineConfig({
  root: here,
  plugins: [preact()],
  build: {
    outDir: resolve(here, "../dist/client"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(here, "index.html"),
        room: resolve(here, "room.html"),
        studio: resolve(here, "studio.html"),
      },
    },
  },
});
