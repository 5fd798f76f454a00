#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 in a browser) into a cache folder outside the repository,
# so the offline end-to-end suite never downloads VS Code. Only the npm registry is contacted:
# native modules build from source (needs Debian's libkrb5-dev) and @vscode/ripgrep is fed
# Debian's rg instead of its GitHub download. Prints the install folder on stdout.
set -euo pipefail

VERSION="4.100.3"
CACHE_ROOT="${ASYNCIO_TRACE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/asyncio-trace-e2e}"
DEST="$CACHE_ROOT/code-server-$VERSION"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"

# The marker is written last, so an interrupted install is never mistaken for a good one.
if [[ -f "$DEST/.complete" && -f "$ENTRY" ]]; then
  echo "$DEST"
  exit 0
fi

for tool in rg npm tar; do
  command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' is missing (apt-get install ripgrep / nodejs)" >&2; exit 1; }
done
if ! [[ -e /usr/include/krb5.h || -e /usr/include/gssapi/gssapi.h ]]; then
  echo "install-code-server: Kerberos headers missing; run: apt-get install -y libkrb5-dev" >&2
  exit 1
fi

# node-gyp would download Node's headers from nodejs.org; point it at the installed ones instead.
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [[ ! -f "$NODE_PREFIX/include/node/node_version.h" ]]; then
  echo "install-code-server: Node headers not found under $NODE_PREFIX/include/node (Debian: they ship with the nodejs package)" >&2
  exit 1
fi

mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/.install-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/prefix" "$WORK/tmp" "$WORK/home"

# @vscode/ripgrep's postinstall looks in this cache before it tries GitHub.
RG_CACHE="$WORK/tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE" "$WORK/rg"
cp "$(command -v rg)" "$WORK/rg/rg"
tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$WORK/rg" rg

echo "install-code-server: building code-server@$VERSION into $DEST (several minutes, once)" >&2
(
  cd "$WORK/prefix"
  echo '{"name":"code-server-cache","private":true}' > package.json
  HOME="$WORK/home" TMPDIR="$WORK/tmp" npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir="$NODE_PREFIX" npm_config_cache="$CACHE_ROOT/npm-cache" \
    npm_config_update_notifier=false \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$VERSION" >&2
)
[[ -f "$WORK/prefix/node_modules/code-server/out/node/entry.js" ]] || { echo "install-code-server: entry.js missing after install" >&2; exit 1; }
# ripgrep must really be there: VS Code's search spawns it.
RG_BIN="$(find "$WORK/prefix/node_modules" -path '*@vscode/ripgrep/bin/rg' -print -quit)"
[[ -n "$RG_BIN" && -x "$RG_BIN" ]] || { echo "install-code-server: @vscode/ripgrep binary missing" >&2; exit 1; }

touch "$WORK/prefix/.complete"
rm -rf "$DEST"
mv "$WORK/prefix" "$DEST"
echo "$DEST"
