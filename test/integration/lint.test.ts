// Static lint inside VS Code: diagnostics on the fixtures, quick fixes, fix-all, disable-for-line, hovers.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { openPython, waitFor, workspaceFile } from "./helpers";

const FIXTURES = ["await_outside_async.py", "unawaited_coroutine.py", "blocking_sleep.py", "await_non_awaitable.py", "blocking_call_in_async.py", "dangling_task.py", "timeout_without_await.py", "async_without_await.py", "suppressed.py"];

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === "asyncio-trace");
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : String(d.code);
}

function expected(text: string): string[] {
  const out: string[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /# expect: ([a-z, -]+)$/.exec(line);
    if (m) for (const code of m[1].split(",")) out.push(`${i + 1}:${code.trim()}`);
  });
  return out.sort();
}

async function diagnosticsOf(uri: vscode.Uri, count: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} asyncio-trace diagnostics on ${uri.fsPath}`, () => {
    const d = ours(uri);
    return d.length === count ? d : undefined;
  });
}

async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
}

describe("lint in the editor", function () {
  this.timeout(60_000);

  for (const name of FIXTURES) {
    it(`flags exactly the expected lines of lint/${name}`, async () => {
      const uri = workspaceFile("lint", name);
      const editor = await openPython(uri);
      const want = expected(editor.document.getText());
      const got = await diagnosticsOf(uri, want.length);
      assert.deepEqual(got.map((d) => `${d.range.start.line + 1}:${codeOf(d)}`).sort(), want);
      for (const d of got) {
        const code = d.code as { value: string; target: vscode.Uri };
        assert.equal(code.target.toString(true), `https://github.com/asyncio-trace/asyncio-trace#${code.value}`);
        assert.ok(!d.range.isEmpty, "a diagnostic must cover the offending expression");
      }
      await revertAndClose();
    });
  }

  it("puts unawaited-coroutine on the call and fixes it with a preferred Add `await`", async () => {
    const uri = workspaceFile("lint", "fixes", "forgot_await.py");
    const editor = await openPython(uri);
    const diagnostic = (await diagnosticsOf(uri, 2)).find((d) => codeOf(d) === "unawaited-coroutine")!;
    assert.equal(editor.document.getText(diagnostic.range), "asyncio.sleep(3)");
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    // Which fixes are preferred is checked in the unit tests; the API command does not always carry the flag back.
    const add = actions.find((a) => a.title === "Add `await`");
    assert.ok(add?.edit, `no Add \`await\` among ${actions.map((a) => a.title).join(", ")}`);
    assert.ok(actions.some((a) => /unawaited-coroutine/.test(a.title) && !a.isPreferred), "no Disable for this line action");
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    assert.equal(editor.document.getText(), fs.readFileSync(workspaceFile("lint", "fixes", "forgot_await.fixed.py").fsPath, "utf8"));
    await waitFor("the warning to go away after the fix", () => (ours(uri).some((d) => codeOf(d) === "unawaited-coroutine") ? undefined : true));
    await revertAndClose();
  });

  it("Disable for this line silences the diagnostic", async () => {
    const uri = workspaceFile("lint", "fixes", "non_awaitable_print.py");
    const editor = await openPython(uri);
    const [diagnostic] = await diagnosticsOf(uri, 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range);
    const disable = actions.find((a) => a.title.includes("await-non-awaitable") && !a.isPreferred);
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.match(editor.document.lineAt(diagnostic.range.start.line).text, /# asyncio-trace: ignore\[await-non-awaitable\]$/);
    await diagnosticsOf(uri, 0);
    await revertAndClose();
  });

  it("source.fixAll.asyncioTrace applies every safe fix", async () => {
    const uri = workspaceFile("lint", "fixes", "fixall_mixed.py");
    const editor = await openPython(uri);
    await waitFor("diagnostics", () => (ours(uri).length > 0 ? true : undefined));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      new vscode.Range(0, 0, editor.document.lineCount, 0),
      "source.fixAll.asyncioTrace",
    );
    const fixAll = actions.find((a) => a.kind?.value === "source.fixAll.asyncioTrace");
    assert.ok(fixAll?.edit);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.equal(editor.document.getText(), fs.readFileSync(workspaceFile("lint", "fixes", "fixall_mixed.fixed.py").fsPath, "utf8"));
    await revertAndClose();
  });

  it("re-lints as the user types", async () => {
    const uri = workspaceFile("lint", "fixes", "dangling_task.py");
    const editor = await openPython(uri);
    await diagnosticsOf(uri, 1);
    const line = editor.document.getText().split("\n").findIndex((l) => l.includes("await asyncio.sleep(1)"));
    await editor.edit((b) => b.insert(new vscode.Position(line, 0), "    asyncio.sleep(2)\n"));
    const diagnostics = await diagnosticsOf(uri, 2);
    assert.ok(diagnostics.some((d) => codeOf(d) === "unawaited-coroutine" && d.range.start.line === line));
    await revertAndClose();
  });

  it("explains keywords, asyncio APIs and diagnostics on hover", async () => {
    const uri = workspaceFile("lint", "fixes", "forgot_await.py");
    const editor = await openPython(uri);
    const [diagnostic] = (await diagnosticsOf(uri, 2)).filter((d) => codeOf(d) === "unawaited-coroutine");
    const text = async (position: vscode.Position) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, position);
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    };
    const onDiagnostic = await text(diagnostic.range.start.translate(0, 1));
    assert.match(onDiagnostic, /asyncio-trace: `unawaited-coroutine`/);
    assert.match(onDiagnostic, /```python/);
    const asyncLine = editor.document.getText().split("\n").findIndex((l) => l.startsWith("async def"));
    assert.match(await text(new vscode.Position(asyncLine, 1)), /coroutine object/);
    const sleepAt = diagnostic.range.start.translate(0, "asyncio.".length + 1);
    assert.match(await text(sleepAt), /asyncio\.sleep\(s\)/);
    await revertAndClose();
  });
});
