#!/usr/bin/env bash
# Run the Splink 5 peer linker (link_persons.py) in its own virtualenv.
#   scripts/splink/run.sh --input IN.csv --out OUT.csv [--threshold T] [--threads N]
# The venv is ${SPLINK_VENV:-target/splink-venv} (relative paths are taken from
# the repo root). It is created on first use and pip runs again only when
# requirements.txt changes (its hash is kept inside the venv). Setup output goes
# to stderr so stdout carries only the linker's JSON summary line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${SPLINK_VENV:-target/splink-venv}"
[[ "$venv" == /* ]] || venv="$root/$venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "run.sh: creating virtualenv $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv" >&2
fi
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
  echo "run.sh: installing $req" >&2
  "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" >&2
  echo "$want" >"$stamp"   # written only after a successful install
fi

# Do not cd: --input/--out paths are relative to the caller's directory.
exec "$venv/bin/python" "$here/link_persons.py" "$@"
