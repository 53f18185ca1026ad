/// <reference types="vite/client" />
// Vite handles imports of .css files (and other assets) for the pages.
