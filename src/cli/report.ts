import type { Trace } from "../core/trace/schema";
import type { Finding } from "../core/findings/types";

/**
 * The `--report` JSON of `asyncio-trace run`: snake_case summary fields for scripts (the
 * conformance checker reads `virtual_time`), then the whole trace's tasks and events.
 */
export function buildRunReport(trace: Trace, findings: Finding[]): Record<string, unknown> {
  return {
    engine: trace.engine,
    python_version: trace.pythonVersion,
    file: trace.file,
    status: trace.status,
    exit_code: trace.exitCode,
    virtual_time: trace.virtualTime,
    wall_ms: trace.wallMs,
    deadlock: trace.deadlock !== null,
    deadlock_waiters: trace.deadlock?.waiters ?? [],
    livelock: trace.livelock !== null,
    uncaught: trace.uncaught,
    network_simulated: trace.networkSimulated,
    output_truncated: trace.outputTruncated,
    events_truncated: trace.eventsTruncated,
    engine_error: trace.engineError ?? null,
    findings,
    tasks: trace.tasks,
    events: trace.events,
  };
}
