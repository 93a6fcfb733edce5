#!/usr/bin/env bash
# Checks that FollowTheMoney's own parser keeps every property of a doctriage FtM export.
#
#   scripts/ftm_validate.sh              export the sample-cache review of tests/formats.rs and check it
#   scripts/ftm_validate.sh FILE.ftm.jsonl   check an existing export
#
# `ftm validate` (PyPI `followthemoney`) re-parses each entity and drops values its schema rejects,
# so any property or value that is missing after validation was invalid. Needs `ftm` on PATH:
#   python3 -m pip install followthemoney
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v ftm >/dev/null 2>&1; then
    echo "ftm_validate: 'ftm' is not on PATH; install it with: python3 -m pip install followthemoney" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ $# -ge 1 ]]; then
    input="$1"
else
    input="$work/sample.ftm.jsonl"
    if ! (cd "$root" && DOCTRIAGE_FTM_OUT="$input" cargo test --quiet --test formats ftm_validate_keeps_every_property) \
        >"$work/cargo.log" 2>&1; then
        cat "$work/cargo.log" >&2
        echo "ftm_validate: the sample export failed (see above)" >&2
        exit 1
    fi
fi
[[ -s "$input" ]] || { echo "ftm_validate: no entities in $input" >&2; exit 1; }

ftm validate -i "$input" -o "$work/validated.ftm.jsonl"

python3 - "$input" "$work/validated.ftm.jsonl" <<'PY'
import json
import sys

def load(path):
    out = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            e = json.loads(line)
            props = e.get("properties", {})
            for k, v in props.items():
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    sys.exit(f"line {n}: {e['id']} {k} is not a list of strings")
            out[e["id"]] = (e["schema"], {k: set(v) for k, v in props.items()})
    return out

before, after = load(sys.argv[1]), load(sys.argv[2])
problems = []
for eid, (schema, props) in before.items():
    if eid not in after:
        problems.append(f"{schema} {eid}: entity dropped")
        continue
    schema2, props2 = after[eid]
    if schema2 != schema:
        problems.append(f"{schema} {eid}: schema became {schema2}")
    for prop, values in props.items():
        kept = props2.get(prop, set())
        lost = values - kept
        if lost:
            problems.append(f"{schema}.{prop} {eid}: dropped or changed {sorted(lost)!r}")
for p in problems:
    print(p, file=sys.stderr)
schemas = sorted({s for s, _ in before.values()})
if problems:
    sys.exit(f"ftm_validate: {len(problems)} problem(s) in {len(before)} entities")
print(f"ftm_validate: {len(before)} entities ({', '.join(schemas)}): every property kept")
PY
