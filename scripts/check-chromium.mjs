#!/usr/bin/env node
/**
 * The first step of `npm test`: the browser tests drive a real Chromium
 * (never a downloaded one), so make sure there is one before building and
 * running anything, instead of failing minutes later.
 *
 * - `CHROME_PATH` set: it must be an executable; nothing is installed.
 * - Otherwise /usr/bin/chromium. When it is missing and we are root on a
 *   machine with apt-get (a fresh Debian or Ubuntu, a container), it is
 *   installed as CI does (`.ci/run`): `apt-get install chromium`.
 * - Otherwise stop at once with the one command to run.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

const DEFAULT_PATH = "/usr/bin/chromium";
/** Where other systems put a Chromium (Ubuntu's snap, Fedora, Google's builds): found, we name it rather than install another. */
const OTHER_PATHS = ["/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((folder) => folder && isExecutable(join(folder, command)));
}

function stop(lines) {
  console.error(["", "✗ The browser tests need Chromium.", ...lines.map((line) => `  ${line}`), ""].join("\n"));
  process.exit(1);
}

const chosen = process.env.CHROME_PATH;
if (chosen) {
  if (!isExecutable(chosen)) {
    stop([
      `CHROME_PATH is ${chosen}, which is not an executable file.`,
      "Point CHROME_PATH at a Chromium (e.g. CHROME_PATH=/usr/bin/chromium npm test), or unset it to use /usr/bin/chromium.",
    ]);
  }
  process.exit(0);
}
if (isExecutable(DEFAULT_PATH)) process.exit(0);
const other = OTHER_PATHS.find(isExecutable);
if (other) stop([`There is none at ${DEFAULT_PATH}, but there is ${other}. Run the tests with it:`, `  CHROME_PATH=${other} npm test`]);

const isRoot = process.getuid?.() === 0;
const hasApt = onPath("apt-get");
if (isRoot && hasApt) {
  console.log("▸ No Chromium at /usr/bin/chromium: installing Debian's chromium (apt-get install chromium)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = update.status === 0 && spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  if (install && install.status === 0 && isExecutable(DEFAULT_PATH)) process.exit(0);
  stop([
    "apt-get could not install it (see above). Install it yourself and run npm test again:",
    "  apt-get install chromium",
    "or point CHROME_PATH at another Chromium: CHROME_PATH=/path/to/chromium npm test",
  ]);
}

stop(
  hasApt
    ? ["Install it, then run npm test again:", "  sudo apt-get install chromium", "(or point CHROME_PATH at another Chromium: CHROME_PATH=/path/to/chromium npm test)"]
    : [
        `There is none at ${DEFAULT_PATH}. Install Chromium with your system's package manager, then run:`,
        "  CHROME_PATH=/path/to/chromium npm test",
      ],
);
