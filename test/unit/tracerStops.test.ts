import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

// The runner's side of a stop from the embedded host, checked under plain CPython so that the
// order of events is certain: the host's handlers only record why it interrupted, and the runner
// decides what that means at each point of the run.
const REPO = resolve(__dirname, "..", "..", "..");

describe("tracer: a stop from the embedded host", () => {
  it("ends the program as it starts when the stop came during set-up, and does not break the trace written after it", () => {
    const result = spawnSync("python3", [join(REPO, "test", "fixtures", "tracer", "host_stop_contract.py"), join(REPO, "test", "fixtures", "embedded", "spin.py")], {
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: join(REPO, "src", "engine", "python") },
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    // spin.py prints "spinning" first: the program never ran, so stdout holds only the summary.
    assert.deepEqual(JSON.parse(result.stdout), { exitCode: 152, status: "budget", hostHandlerBack: true });
    assert.equal(result.stderr, "asyncio-trace: stopped after 5 s of wall-clock time (the program was still running at virtual t=0)\n");
  });
});
