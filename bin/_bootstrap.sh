# Sourced by bin/cfdoctor and bin/test: make a venv with a supported Python and install the
# project into it (editable), reinstalling only when the packaging inputs change.
# Usage: bootstrap [EXTRA]   (EXTRA: "test" adds the test tools)
#
# CFDOCTOR_PYTHON chooses the interpreter: a path (/usr/bin/python3.13) or a version (3.13,
# found as python3.13 on PATH or under pyenv). Its venv is .venv-<version> beside .venv, so
# several versions live side by side. Without it: .venv, with 3.12 or 3.11 (durable-rules builds
# unmodified there), else 3.13.
# CFDOCTOR_VENV overrides the venv's directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUPPORTED="3.11 3.12 3.13"   # keep in step with pyproject's requires-python

python_version() {  # "3.13" for a working interpreter, nothing otherwise
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

supported() { [[ " $SUPPORTED " == *" $1 "* ]]; }

find_python() {  # [VERSION]: the first supported interpreter (of VERSION if given)
  local want="${1:-}" candidates=() v
  for v in ${want:-3.12 3.11 3.13}; do candidates+=("python$v"); done
  [ -z "$want" ] && candidates+=(python3)
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -rV); do
      if [ -z "$want" ] || [[ "$v" == "$want".* ]]; then
        candidates+=("$(pyenv root)/versions/$v/bin/python3")
      fi
    done
  fi
  local py found
  for py in "${candidates[@]}"; do
    command -v "$py" >/dev/null 2>&1 || continue
    found="$(python_version "$py")"
    if supported "$found" && { [ -z "$want" ] || [ "$found" = "$want" ]; }; then
      echo "$py"; return 0
    fi
  done
  echo "cfdoctor needs Python ${want:-$SUPPORTED} (tested: $SUPPORTED); none found" >&2
  return 1
}

choose_python() {  # CFDOCTOR_PYTHON (a path or a version) or the newest supported one
  local chosen="${CFDOCTOR_PYTHON:-}"
  if [ -z "$chosen" ]; then find_python; return; fi
  if [[ "$chosen" =~ ^3\.[0-9]+$ ]]; then find_python "$chosen"; return; fi
  if ! command -v "$chosen" >/dev/null 2>&1; then
    echo "CFDOCTOR_PYTHON=$chosen: no such interpreter" >&2; return 1
  fi
  local found; found="$(python_version "$chosen")"
  if ! supported "$found"; then
    echo "CFDOCTOR_PYTHON=$chosen is Python ${found:-?}; cfdoctor is tested on $SUPPORTED" >&2
    return 1
  fi
  echo "$chosen"
}

PY="$(choose_python)"
PY_VERSION="$(python_version "$PY")"
if [ -n "${CFDOCTOR_VENV:-}" ]; then VENV="$CFDOCTOR_VENV"
elif [ -n "${CFDOCTOR_PYTHON:-}" ]; then VENV="$ROOT/.venv-$PY_VERSION"
else VENV="$ROOT/.venv"; fi

bootstrap() {
  local extra="${1:-}"
  if [ -x "$VENV/bin/python" ] && [ -n "${CFDOCTOR_PYTHON:-}" ] \
      && [ "$(python_version "$VENV/bin/python")" != "$PY_VERSION" ]; then
    echo "cfdoctor: $VENV is not Python $PY_VERSION; making it anew" >&2
    rm -rf "$VENV"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "cfdoctor: creating $VENV with $("$PY" --version)" >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  fi
  local inputs stamp spec
  # On 3.13 durable-rules is built from third_party/ (pyproject says so): a change there counts.
  inputs="$(cat "$ROOT/pyproject.toml" "$ROOT/hatch_build.py" "$ROOT"/cfdoctor/locales/*/LC_MESSAGES/*.po \
    "$ROOT"/third_party/durable-rules/src/rulespy/*.c 2>/dev/null | sha256sum | cut -c1-16)"
  spec="."
  [ -n "$extra" ] && spec=".[$extra]"
  stamp="$VENV/.cfdoctor-installed-${extra:-base}-$inputs"
  if [ ! -f "$stamp" ]; then
    echo "cfdoctor: installing the project into $VENV (${extra:-runtime} dependencies)" >&2
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" >&2)
    rm -f "$VENV"/.cfdoctor-installed-"${extra:-base}"-*
    touch "$stamp"
  fi
}
