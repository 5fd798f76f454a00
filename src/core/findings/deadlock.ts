import {
  deadlockMessage,
  deadlockReason,
  deadlockRelatedMessage,
  deadlockWithoutWaitersMessage,
  FINDING_EXPLANATIONS,
  lockHeldReason,
  type Localized,
} from "../explain/findingTexts";
import type { AwaitTarget, DeadlockWaiter } from "../trace/schema";
import type { Finding } from "./types";
import { describeTask, type TraceFacts } from "./traceFacts";

/** One error per task stuck in the deadlock, at the line where it waits, saying what cannot arrive. */
export function findDeadlock(facts: TraceFacts): Finding[] {
  const trace = facts.trace;
  if (trace.status !== "deadlock") return [];
  const waiters = trace.deadlock?.waiters ?? [];
  const stuck = waiters.map((w) => w.task);
  const span = { t: trace.virtualTime, tEnd: trace.virtualTime };
  if (waiters.length === 0) {
    return [
      {
        code: "deadlock",
        severity: "error",
        location: null,
        related: [],
        message: deadlockWithoutWaitersMessage(),
        explanation: FINDING_EXPLANATIONS.deadlock,
        tasks: [],
        span,
        events: [],
      },
    ];
  }
  return waiters.map((waiter) => {
    const task = facts.tasksById.get(waiter.task);
    const awaiting = normalizeAwait(waiter.awaiting);
    const waitedOn = (awaiting?.tasks ?? []).map((id) => describeTask(facts.tasksById.get(id), id));
    const lastStep = (facts.stepsByTask.get(waiter.task) ?? []).at(-1);
    const related: Finding["related"] = waiters
      .filter((other) => other !== waiter && other.location)
      .map((other) => ({
        location: other.location!,
        message: deadlockRelatedMessage({
          task: describeTask(facts.tasksById.get(other.task), other.task),
          awaiting: normalizeAwait(other.awaiting)?.label ?? null,
          heldBy: other.awaiting?.heldBy ? (facts.tasksById.get(other.awaiting.heldBy.task)?.name ?? other.awaiting.heldBy.name) : null,
        }),
      }));
    return {
      code: "deadlock" as const,
      severity: "error" as const,
      location: waiter.location,
      related,
      message: deadlockMessage({
        task: describeTask(task, waiter.task),
        awaiting: awaiting?.label ?? null,
        location: waiter.location,
        reason: awaiting?.heldBy
          ? lockHolderReason(facts, waiter.task, awaiting.heldBy, waiters)
          : deadlockReason(awaiting?.kind ?? "other", awaiting?.label ?? "", waitedOn),
        mainFile: trace.file,
      }),
      explanation: FINDING_EXPLANATIONS.deadlock,
      tasks: stuck,
      span,
      events: lastStep ? [lastStep.seq] : [],
    };
  });
}

/** "Task-3 (worker('b'))", or the name the tracer recorded when the task is not in the trace. */
function holderName(facts: TraceFacts, heldBy: NonNullable<AwaitTarget["heldBy"]>): string {
  const task = facts.tasksById.get(heldBy.task);
  return task ? describeTask(task, heldBy.task) : heldBy.name;
}

/** The lock's holder, from the same deadlock report when it is stuck too: what it waits on. */
function lockHolderReason(facts: TraceFacts, waiterTask: number, heldBy: NonNullable<AwaitTarget["heldBy"]>, waiters: DeadlockWaiter[]): Localized {
  const holderWaiter = waiters.find((w) => w.task === heldBy.task);
  const holderEnd = facts.tasksById.get(heldBy.task)?.end.kind;
  return lockHeldReason({
    task: holderName(facts, heldBy),
    heldBySelf: heldBy.task === waiterTask,
    stuck: holderWaiter ? { awaiting: normalizeAwait(holderWaiter.awaiting)?.label ?? null, location: holderWaiter.location } : null,
    ended: holderEnd !== undefined && holderEnd !== "pending",
    mainFile: facts.trace.file,
  });
}

/**
 * `async with lock:` suspends inside asyncio's lock mixin, which CPython 3.11 names
 * `_ContextManagerMixin.__aenter__`; say what the user wrote instead.
 */
function normalizeAwait(awaiting: AwaitTarget | null): AwaitTarget | null {
  if (!awaiting || awaiting.kind !== "future") return awaiting;
  const inLocks = /[\\/]asyncio[\\/]locks\.py$/.test(awaiting.location?.file ?? "");
  if (inLocks && awaiting.label.endsWith("__aenter__")) return { ...awaiting, kind: "lock", label: "async with (acquire)" };
  return awaiting;
}
