// The one place that talks to VS Code's webview API. In the standalone HTML export there is no
// host: messages are kept on `window.__asyncioTraceMessages` (tests read them) and state lives in
// sessionStorage.
import type { FromWebview, PanelViewState } from "../shared/protocol";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    __asyncioTraceMessages?: FromWebview[];
  }
}

export interface HostBridge {
  readonly standalone: boolean;
  post(message: FromWebview): void;
  getState(): PanelViewState | null;
  setState(state: PanelViewState): void;
}

const STORAGE_KEY = "asyncio-trace-view-state";

export function connectHost(): HostBridge {
  if (typeof window.acquireVsCodeApi === "function") {
    const api = window.acquireVsCodeApi();
    return {
      standalone: false,
      post: (m) => api.postMessage(m),
      getState: () => (api.getState() as PanelViewState | undefined) ?? null,
      setState: (s) => api.setState(s),
    };
  }
  const sent: FromWebview[] = (window.__asyncioTraceMessages ??= []);
  return {
    standalone: true,
    post: (m) => {
      sent.push(m);
    },
    getState: () => {
      try {
        const raw = sessionStorage.getItem(STORAGE_KEY);
        return raw ? (JSON.parse(raw) as PanelViewState) : null;
      } catch {
        return null;
      }
    },
    setState: (s) => {
      try {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
      } catch {
        // file:// pages may have no storage; the state then lasts as long as the page.
      }
    },
  };
}
