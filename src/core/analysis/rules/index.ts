/** Every rule, in the order their findings are listed on one line. */
import type { Rule } from "../context";
import { asyncBusyWait } from "./asyncBusyWait";
import { asyncWithoutAwait } from "./asyncWithoutAwait";
import { awaitNonAwaitable } from "./awaitNonAwaitable";
import { awaitOutsideAsync } from "./awaitOutsideAsync";
import { blockingCallInAsync } from "./blockingCallInAsync";
import { blockingSleep } from "./blockingSleep";
import { danglingTask } from "./danglingTask";
import { runInRunningLoop } from "./runInRunningLoop";
import { timeoutWithoutAwait } from "./timeoutWithoutAwait";
import { unawaitedCoroutine } from "./unawaitedCoroutine";

export const RULES: Rule[] = [
  awaitOutsideAsync,
  unawaitedCoroutine,
  blockingSleep,
  awaitNonAwaitable,
  runInRunningLoop,
  blockingCallInAsync,
  danglingTask,
  asyncBusyWait,
  timeoutWithoutAwait,
  asyncWithoutAwait,
];
