import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Trace } from "../../src/core/trace/schema";
import { EmbeddedEngine } from "../../src/engine/embedded";
import { LocalEngine, splitTracePipe } from "../../src/engine/local";
import { parseTraceJson, WIRE_FIELDS, WIRE_FORMAT } from "../../src/engine/traceWire";

const ROOT = resolve(__dirname, "..", "..", "..");
const DIST = resolve(ROOT, "dist");
const PROGRAM = resolve(ROOT, "test", "fixtures", "programs", "queue_producer_consumer.py");

/**
 * Python writes raw clock readings and this module does the arithmetic Python used to do, so the
 * two must agree to the last bit. Python itself makes the cases (awkward clock values included)
 * and says what it would have written.
 */
function pythonWireCases(): { wire: string; expected: Array<{ wallMs: number; costMs: number }> } {
  const script = String.raw`
import json, random
random.seed(7)
start = 12345.678901234567
events, expected = [], []
for seq in range(2000):
    w0 = start + random.random() * 1000 * random.choice((1e-6, 1e-3, 1, 1000))
    w1 = w0 + random.random() * random.choice((1e-9, 1e-6, 1e-3, 1))
    events.append(["step", 0.5, w1, 1, 0.5, None, None, None, None, w0])
    expected.append({"wallMs": int((w1 - start) * 1_000_000) / 1000, "costMs": int((w1 - w0) * 10_000_000) / 10_000})
trace = {"schema": 1, "events": events, "wire": {"format": 2, "wallStart": start}}
print(json.dumps({"wire": json.dumps(trace), "expected": expected}))
`;
  const result = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function assertExpanded(trace: Trace): void {
  assert.ok(!("wire" in trace), "the wire header is removed");
  let lastWallMs = -Infinity;
  trace.events.forEach((event, index) => {
    assert.ok(!Array.isArray(event), `event ${index} is still an array`);
    assert.equal(event.seq, index);
    assert.equal(typeof event.t, "number");
    assert.ok(event.wallMs >= lastWallMs, `wallMs goes back at seq ${index}`);
    lastWallMs = event.wallMs;
    if (event.kind === "step") {
      assert.ok(event.costMs >= 0);
      assert.ok(event.tEnd >= event.t);
      assert.ok(!("startClock" in event));
    }
  });
}

describe("traceWire: the tracer's compact events, expanded", function () {
  this.timeout(120_000);

  it("computes wallMs and costMs exactly as Python would have, on 2,000 awkward clock readings", () => {
    const { wire, expected } = pythonWireCases();
    const trace = parseTraceJson(wire);
    assert.equal(trace.events.length, expected.length);
    trace.events.forEach((event, i) => {
      assert.equal(event.kind, "step");
      assert.equal(event.wallMs, expected[i].wallMs, `wallMs of case ${i}`);
      assert.equal((event as { costMs: number }).costMs, expected[i].costMs, `costMs of case ${i}`);
    });
  });

  it("rejects an unknown wire format or compact kind instead of guessing", () => {
    assert.throws(() => parseTraceJson(JSON.stringify({ events: [], wire: { format: 1, wallStart: 0 } })), /wire format 1/);
    assert.throws(() => parseTraceJson(JSON.stringify({ events: [["nope", 0, 0]], wire: { format: WIRE_FORMAT, wallStart: 0 } })), /unknown compact event kind "nope"/);
  });

  it("turns a task's \"done\" array into its last step and its task-done, and numbers every event in order", () => {
    const end = { kind: "result", t: 2, repr: "42" };
    const resumed = { file: "/p.py", line: 3 };
    const wire = {
      schema: 1,
      wire: { format: WIRE_FORMAT, wallStart: 10 },
      events: [
        ["task-created", 0, 10.001, 1],
        { kind: "output", stream: "stdout", text: "hi\n", task: 1, t: 1, wallMs: 1.5 },
        ["done", 1, 10.003, 1, 2, resumed, 10.0025, end],
        ["idle", 2, 10.004, 3],
      ],
    };
    const trace = parseTraceJson(JSON.stringify(wire));
    assert.deepEqual(trace.events.map((e) => [e.seq, e.kind]), [[0, "task-created"], [1, "output"], [2, "step"], [3, "task-done"], [4, "idle"]]);
    assert.deepEqual(trace.events[2], {
      kind: "step", seq: 2, t: 1, wallMs: 3, task: 1, tEnd: 2, resumed, suspended: null, taskLine: null, awaiting: null, costMs: 0.5,
    });
    assert.deepEqual(trace.events[3], { kind: "task-done", seq: 3, t: 2, wallMs: 3, task: 1, end });
    assert.deepEqual(Object.keys(trace.events[1]).slice(0, 2), ["kind", "seq"], "seq follows kind in objects too");
  });

  it("stops recording at max_events (checked once per loop iteration) and says so, with the program's output and status intact", () => {
    const dir = mkdtempSync(join(tmpdir(), "asyncio-trace-cap-"));
    try {
      const traceFile = join(dir, "trace.json");
      const config = { file: resolve(ROOT, "bench", "fanout_1000.py"), engine: "local", budget_seconds: 30, max_events: 300 };
      const run = spawnSync("sh", ["-c", 'exec python3 "$0" 3>"$1"', resolve(DIST, "python", "run_traced.py"), traceFile], {
        env: { ...process.env, ASYNCIO_TRACE_CONFIG: JSON.stringify(config) },
        encoding: "utf8",
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, "1000 499500\n");
      const trace = parseTraceJson(splitTracePipe(readFileSync(traceFile, "utf8")).trace);
      assert.equal(trace.eventsTruncated, true);
      assert.equal(trace.status, "ok");
      assert.equal(trace.tasks.length, 1001, "every task is still listed");
      // The cap counts what Python recorded: the first 300 entries, of which a "done" is two events.
      assert.ok(trace.events.length >= 300 && trace.events.length <= 600, `${trace.events.length} events`);
      assertExpanded(trace);
      const uncapped = spawnSync("sh", ["-c", 'exec python3 "$0" 3>"$1"', resolve(DIST, "python", "run_traced.py"), traceFile], {
        env: { ...process.env, ASYNCIO_TRACE_CONFIG: JSON.stringify({ ...config, max_events: 200_000 }) },
        encoding: "utf8",
      });
      assert.equal(uncapped.status, 0, uncapped.stderr);
      const full = parseTraceJson(splitTracePipe(readFileSync(traceFile, "utf8")).trace);
      assert.equal(full.eventsTruncated, false);
      assert.deepEqual(trace.events.map((e) => e.kind), full.events.slice(0, trace.events.length).map((e) => e.kind), "the capped trace is the full one's beginning");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const engineName of ["local", "embedded"] as const) {
    it(`leaves no compact event behind in a real ${engineName} run, with every field of every compact kind`, async () => {
      const engine = engineName === "local" ? new LocalEngine() : new EmbeddedEngine({ distDir: DIST, keepSpare: false });
      try {
        const trace = await engine.run({ file: PROGRAM });
        assert.equal(trace.exitCode, 0);
        assertExpanded(trace);
        for (const [wireKind, fields] of Object.entries(WIRE_FIELDS)) {
          // "done" arrives as a step and a task-done; its fields are checked on those.
          const kinds = wireKind === "done" ? ["step", "task-done"] : [wireKind];
          const events = trace.events.filter((e) => kinds.includes(e.kind)) as unknown as Record<string, unknown>[];
          assert.ok(events.length, `the run has a ${wireKind} event`);
          for (const field of fields.filter((f) => f !== "startClock")) {
            assert.ok(events.some((event) => field in event), `${wireKind}.${field}`);
          }
        }
        const taskIds = trace.tasks.map((task) => task.id);
        for (const id of taskIds) {
          const done = trace.events.findIndex((e) => e.kind === "task-done" && e.task === id);
          assert.ok(done > 0, `task ${id} ended`);
          const lastStep = trace.events[done - 1];
          assert.equal(lastStep.kind, "step", `task ${id}'s task-done follows its last step`);
          assert.equal((lastStep as { task: number }).task, id);
          assert.equal((lastStep as { suspended: unknown }).suspended, null);
        }
        const step = trace.events.find((e) => e.kind === "step" && e.awaiting?.kind === "queue");
        assert.ok(step, "a step that waits on the queue");
      } finally {
        engine.dispose();
      }
    });
  }
});
