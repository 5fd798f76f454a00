// Starts and stops an isolated code-server (VS Code 1.100.3 served to a browser) and opens its
// workbench in Debian's chromium through playwright-core. Nothing here touches the network
// beyond 127.0.0.1; nothing is written outside the run folder.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

export const HERE = fileURLToPath(new URL(".", import.meta.url));
export const REPO = resolve(HERE, "../..");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Runs the cached installer (builds code-server the first time) and returns its entry script. */
export function ensureCodeServer() {
  const out = execFileSync("bash", [join(HERE, "install-code-server.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  const dir = out.trim().split("\n").pop();
  const entry = join(dir, "node_modules/code-server/out/node/entry.js");
  if (!existsSync(entry)) throw new Error(`code-server entry not found at ${entry}`);
  return entry;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** A fresh folder for one run: HOME, TMPDIR, VS Code's user data, extensions, workspace copy. */
export function makeRunDir() {
  const base = join(REPO, ".cache", "e2e");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "run-"));
  for (const d of ["home", "tmp", "user-data", "extensions", "chromium"]) mkdirSync(join(dir, d));
  // VS Code settings for the test profile: no welcome page, no telemetry, no auto-updates.
  mkdirSync(join(dir, "user-data/User"), { recursive: true });
  writeFileSync(
    join(dir, "user-data/User/settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoUpdate": false,
        "extensions.autoCheckUpdates": false,
        "extensions.ignoreRecommendations": true,
        "security.workspace.trust.enabled": false,
        "git.enabled": false,
        "python.languageServer": "None",
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, "config.yaml"), "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  return dir;
}

/** Copies the test workspace (test/fixtures, plus examples/) so tests may edit and save files. */
export function makeWorkspace(runDir) {
  const ws = join(runDir, "workspace");
  mkdirSync(ws, { recursive: true });
  if (existsSync(join(REPO, "test/fixtures"))) cpSync(join(REPO, "test/fixtures"), ws, { recursive: true });
  if (existsSync(join(REPO, "examples"))) cpSync(join(REPO, "examples"), join(ws, "examples"), { recursive: true });
  return ws;
}

function isolatedEnv(runDir, extra = {}) {
  const env = { ...process.env, HOME: join(runDir, "home"), TMPDIR: join(runDir, "tmp"), XDG_CONFIG_HOME: join(runDir, "home/.config"), XDG_DATA_HOME: join(runDir, "home/.local/share"), ...extra };
  // Never inherit a parent VS Code's IPC hooks: the server must not talk to another instance.
  for (const k of Object.keys(env)) if (k.startsWith("VSCODE_")) delete env[k];
  return env;
}

function serverArgs(runDir) {
  return [
    "--auth", "none",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--config", join(runDir, "config.yaml"),
    "--user-data-dir", join(runDir, "user-data"),
    "--extensions-dir", join(runDir, "extensions"),
  ];
}

/** `code-server --install-extension x.vsix` into the run's extensions folder. */
export function installVsix(entry, runDir, vsix) {
  const r = spawnSync(process.execPath, [entry, ...serverArgs(runDir), "--install-extension", vsix], { env: isolatedEnv(runDir), encoding: "utf8", timeout: 120_000 });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  if (r.status !== 0) throw new Error(`--install-extension ${vsix} failed (exit ${r.status})`);
}

/** Starts code-server and resolves once it answers HTTP. */
export async function startCodeServer(entry, runDir, { env = {}, log = () => {} } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [entry, ...serverArgs(runDir), "--bind-addr", `127.0.0.1:${port}`], {
    env: isolatedEnv(runDir, env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so stop() also ends the extension host it forks
  });
  child.stdout.on("data", (d) => log(String(d)));
  child.stderr.on("data", (d) => log(String(d)));
  let exited = false;
  child.on("exit", () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error("code-server exited during startup");
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("code-server did not answer within 90 s");
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    port,
    url,
    pid: child.pid,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ } }, 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** Headless chromium with a fresh profile and no background traffic. */
export async function launchBrowser(runDir) {
  const { chromium } = await import("playwright-core");
  return chromium.launchPersistentContext(join(runDir, "chromium"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      "--no-first-run",
      "--no-default-browser-check",
      "--metrics-recording-only",
      "--password-store=basic",
    ],
  });
}

/** The workbench URL; with `tests` it runs the mocha suite in the extension host and exits. */
export function workbenchUrl(server, workspace, { devPath, testsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [];
  if (devPath) payload.push(["extensionDevelopmentPath", remote(devPath)]);
  if (testsPath) payload.push(["extensionTestsPath", remote(testsPath)]);
  let url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

export function removeRunDir(runDir) {
  rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}

export { tmpdir };
