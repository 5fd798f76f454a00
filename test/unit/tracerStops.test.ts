import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

// The runner's side of a stop from the embedded host, checked under plain CPython so that the
// order of events is certain: the host's handlers only record why it interrupted, and the runner
// decides what that means at each point of the run.
const REPO = resolve(__dirname, "..", "..", "..");

/** Runs `program` under host_stop_contract.py: plain CPython playing the embedded host's part. */
function contract(program: string, ...flags: string[]) {
  return spawnSync("python3", [join(REPO, "test", "fixtures", "tracer", "host_stop_contract.py"), program, ...flags], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: join(REPO, "src", "engine", "python") },
    timeout: 60_000,
  });
}

describe("tracer: a stop from the embedded host", () => {
  it("ends the program as it starts when the stop came during set-up, and does not break the trace written after it", () => {
    const result = contract(join(REPO, "test", "fixtures", "embedded", "spin.py"), "--stop-during-setup");
    assert.equal(result.status, 0, result.stderr);
    // spin.py prints "spinning" first: the program never ran, so stdout holds only the summary.
    assert.deepEqual(JSON.parse(result.stdout), { exitCode: 152, status: "budget", hostHandlerBack: true });
    assert.equal(result.stderr, "asyncio-trace: stopped after 5 s of wall-clock time (the program was still running at virtual t=0)\n");
  });

  it("raises a stop that a finalizer swallowed again at the program's next line, so a loop after it ends", () => {
    const result = contract(join(REPO, "test", "fixtures", "tracer", "stop_swallowed_in_finalizer.py"));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { exitCode: 152, status: "budget", hostHandlerBack: true });
    // The print after gc.collect() is the next line: the stop is raised there, before it prints.
    assert.equal(result.stderr, "asyncio-trace: stopped after 5 s of wall-clock time (the program was still running at virtual t=0, at line 10)\n");
  });
});
