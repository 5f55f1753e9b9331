#!/usr/bin/env python3
"""Validators of scripts/schema-check, run in the jsonschema venv. Each reads
"CASE<TAB>FILE" lines on stdin and prints one verdict per case:
"CASE<TAB>accepted" or "CASE<TAB>rejected<TAB>first error". A schema that does not
load is an error (exit 2), named on stderr.

  jsonschema SCHEMA                  Python jsonschema, draft 2020-12, Python `re`;
                                     specs read with ruamel.yaml (YAML 1.2)
  check-jsonschema EXE SCHEMA        the check-jsonschema CLI, ECMA-262 regexes
                                     (regress): --check-metaschema, then one run
                                     over every file with JSON output
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def cases():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            case, path = line.split("\t", 1)
            yield case, path


def one_line(text) -> str:
    return " ".join(str(text).split())[:300]


def load(path: str):
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return json.loads(text)
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def cmd_jsonschema(schema_path: str) -> int:
    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    if cls is not jsonschema.Draft202012Validator:
        print(f"{schema_path}: not read as draft 2020-12 but as {cls.__name__}", file=sys.stderr)
        return 2
    try:
        # The metaschema's `format: regex` compiles every pattern with Python's `re`.
        cls.check_schema(schema, format_checker=cls.FORMAT_CHECKER)
    except jsonschema.SchemaError as e:
        print(f"{schema_path}: not a valid schema for Python jsonschema: {one_line(e.message)} at {list(e.path)}", file=sys.stderr)
        return 2
    validator = cls(schema)
    for case, path in cases():
        try:
            data = load(path)
        except Exception as e:  # noqa: BLE001 - any reader error is a rejection
            print(f"{case}\trejected\tnot data: {one_line(e)}")
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        if error is None:
            print(f"{case}\taccepted")
        else:
            print(f"{case}\trejected\t{error.json_path}: {one_line(error.message)}")
    return 0


def cmd_check_jsonschema(exe: str, schema_path: str) -> int:
    meta = subprocess.run([exe, "--check-metaschema", schema_path], capture_output=True, text=True)
    if meta.returncode != 0:
        print(f"{schema_path}: check-jsonschema --check-metaschema failed:\n{meta.stdout}{meta.stderr}", file=sys.stderr)
        return 2
    listed = list(cases())
    run = subprocess.run(
        [exe, "--schemafile", schema_path, "--output-format", "json", *[p for _, p in listed]],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"check-jsonschema exit {run.returncode}, no JSON report:\n{run.stdout}{run.stderr}", file=sys.stderr)
        return 2
    why = {}
    for e in report.get("parse_errors", []):
        why.setdefault(e["filename"], f"not data: {one_line(e['message'])}")
    for e in report.get("errors", []):
        best = e.get("best_deep_match") or e
        why.setdefault(e["filename"], f"{best['path']}: {one_line(best['message'])}")
    for case, path in listed:
        if path in why:
            print(f"{case}\trejected\t{why[path]}")
        else:
            print(f"{case}\taccepted")
    return 0


def main(argv) -> int:
    if argv[:1] == ["jsonschema"] and len(argv) == 2:
        return cmd_jsonschema(argv[1])
    if argv[:1] == ["check-jsonschema"] and len(argv) == 3:
        return cmd_check_jsonschema(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
