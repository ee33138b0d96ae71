# Sourced by bin/cfdoctor and bin/test: make .venv with a supported Python and install the
# project into it (editable), reinstalling only when the packaging inputs change.
# Usage: bootstrap [EXTRA]   (EXTRA: "test" adds the test tools)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CFDOCTOR_VENV:-$ROOT/.venv}"

find_python() {
  local candidates=(python3.12 python3.11 python3)
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(11|12)(\.|$)' | sort -rV); do
      candidates+=("$(pyenv root)/versions/$v/bin/python3")
    done
  fi
  for py in "${candidates[@]}"; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) else 1)' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "cfdoctor needs Python 3.11 or 3.12 (durable_rules does not import on 3.13); none found" >&2
  return 1
}

bootstrap() {
  local extra="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    local py; py="$(find_python)"
    echo "cfdoctor: creating $VENV with $("$py" --version)" >&2
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  fi
  local inputs stamp spec
  inputs="$(cat "$ROOT/pyproject.toml" "$ROOT/hatch_build.py" "$ROOT"/cfdoctor/locales/*/LC_MESSAGES/*.po 2>/dev/null | sha256sum | cut -c1-16)"
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
