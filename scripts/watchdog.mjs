/**
 * Started (detached) by child-processes.mjs: reads "+<pgid>" and "-<pgid>"
 * lines on stdin, the process groups its parent has started and seen gone.
 * When stdin closes, that is when the parent has ended in any way (even a
 * SIGKILL), it SIGTERMs the groups still known, SIGKILLs any still alive 5 s
 * later, and exits.
 */
const groups = new Set();
let pending = "";

process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  pending += chunk;
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === "+") groups.add(pgid);
    else if (line[0] === "-") groups.delete(pgid);
  }
});
process.stdin.once("end", stopAll);
process.stdin.once("close", stopAll);
process.stdin.once("error", stopAll);

function signal(pgid, name) {
  try {
    process.kill(-pgid, name);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const pgid of groups) signal(pgid, "SIGTERM");
  const deadline = Date.now() + 5000;
  while ([...groups].some((pgid) => signal(pgid, 0)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const pgid of groups) signal(pgid, "SIGKILL");
  process.exit(0);
}
