# Shared set-up for scripts/run and scripts/test: a .venv with the project installed.
# Sourced, not run. Re-installs only when pyproject.toml, the extras or Python changed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
    local candidate
    for candidate in "${COMPANION_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "companion: needs Python 3.11 or newer with venv (Debian: apt-get install python3-venv)" >&2
    return 1
}

# ensure_venv EXTRAS: create .venv if missing and install the project with EXTRAS
# ("" or "test,simpleaudio"), skipping pip when pyproject.toml and Python are unchanged
# since an install that already had those extras.
ensure_venv() {
    local extras="$1" python stamp wanted have_hash have_extras spec extra missing_extra=""
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)" || return 1
        echo "companion: creating $VENV" >&2
        "$python" -m venv "$VENV" || return 1
    fi
    stamp="$VENV/.companion-installed"
    wanted="$( (cat "$ROOT/pyproject.toml"; "$VENV/bin/python" -V) | sha256sum | cut -d' ' -f1)"
    have_hash="$(sed -n 1p "$stamp" 2>/dev/null || true)"
    have_extras="$(sed -n 2p "$stamp" 2>/dev/null || true)"
    for extra in ${extras//,/ }; do
        case ",$have_extras," in *",$extra,"*) ;; *) missing_extra=yes ;; esac
    done
    if [ "$have_hash" = "$wanted" ] && [ -z "$missing_extra" ]; then
        return 0
    fi
    # Keep the extras installed before, so scripts/run and scripts/test don't undo each other.
    [ "$have_hash" = "$wanted" ] || have_extras=""
    extras="$(printf '%s\n' ${extras//,/ } ${have_extras//,/ } | sort -u | paste -sd, -)"
    spec="$ROOT"
    [ -n "$extras" ] && spec="$ROOT[$extras]"
    echo "companion: installing into $VENV (first run, or pyproject.toml changed)" >&2
    # This machine's pip config names local mirrors that may be absent; their warnings are noise.
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" 2>&1 |
        { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    printf '%s\n%s\n' "$wanted" "$extras" >"$stamp"
}
