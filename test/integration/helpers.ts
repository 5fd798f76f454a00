// Shared helpers for the extension-host tests (they run inside VS Code, never in plain mocha).
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { Trace } from "../../src/core/trace/schema";

export const EXTENSION_ID = "asyncio-trace.asyncio-trace";

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** The workspace the runner opened (a copy of test/fixtures with examples/ inside). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the tests need a workspace folder");
  return folder.uri.fsPath;
}

/** A file in the workspace; examples/ falls back to the repository's when the workspace is test/fixtures itself (test-electron). */
export function workspaceFile(...parts: string[]): vscode.Uri {
  const inWorkspace = path.join(workspaceRoot(), ...parts);
  if (parts[0] === "examples" && !fs.existsSync(inWorkspace)) {
    return vscode.Uri.file(path.join(__dirname, "..", "..", "..", ...parts));
  }
  return vscode.Uri.file(inWorkspace);
}

export async function openPython(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

/** Runs "Trace async run" on the active editor; the command resolves with the trace it produced. */
export async function traceActive(): Promise<Trace> {
  const trace = (await vscode.commands.executeCommand("asyncioTrace.traceRun")) as Trace | undefined;
  if (!trace || typeof trace !== "object" || !Array.isArray(trace.tasks)) {
    throw new Error(`asyncioTrace.traceRun resolved with ${JSON.stringify(trace)?.slice(0, 200)}, not a trace`);
  }
  return trace;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && v !== null) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration("asyncioTrace").update(key, value, vscode.ConfigurationTarget.Workspace);
}
