import { TRACE_SCHEMA_VERSION, type RunStatus, type Trace, type TraceEvent } from "./schema";

export interface HostTraceFields {
  engine: Trace["engine"];
  file: string;
  argv: string[];
  status: RunStatus;
  exitCode: number;
  pythonVersion?: string;
  wallMs?: number;
  engineError?: string;
  events?: TraceEvent[];
}

/**
 * A trace made by the host for a run whose program produced none of its own: refused before it
 * started, killed from outside, or failed in the engine. One definition, so every engine and the
 * extension fill the same fields the same way.
 */
export function hostTrace(fields: HostTraceFields): Trace {
  const trace: Trace = {
    schema: TRACE_SCHEMA_VERSION,
    engine: fields.engine,
    pythonVersion: fields.pythonVersion ?? "",
    file: fields.file,
    argv: fields.argv,
    status: fields.status,
    exitCode: fields.exitCode,
    virtualTime: 0,
    wallMs: fields.wallMs ?? 0,
    uncaught: null,
    deadlock: null,
    livelock: null,
    networkSimulated: false,
    outputTruncated: false,
    eventsTruncated: false,
    tasks: [],
    events: fields.events ?? [],
  };
  if (fields.engineError !== undefined) trace.engineError = fields.engineError;
  return trace;
}
