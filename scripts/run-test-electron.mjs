// The same extension-host suite under @vscode/test-electron, for machines that can download
// VS Code (a developer's laptop, online CI). Offline, use scripts/vscode-offline/run.mjs instead.
import { runTests } from "@vscode/test-electron";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
try {
  await runTests({
    version: "1.100.3",
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, "out", "test", "integration", "index.js"),
    launchArgs: [join(root, "test", "fixtures"), "--disable-extensions", "--disable-workspace-trust"],
  });
} catch (err) {
  console.error("extension-host tests failed:", err);
  process.exit(1);
}
