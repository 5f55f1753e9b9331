"""The regions of every partition ssm-profile knows (docs/spec.schema.json, which the
compiler writes from src/refdata.rs and tests/schema.rs keeps equal to it) against
botocore's partitions.json, the region table AWS's SDKs ship. A region AWS adds shows
here as a failure, in CI, before a user meets "not a region of partition aws".

    python regions_check.py SCHEMA      (in the venv of the pinned botocore)

Prints one verdict line per partition: PASS<TAB>PARTITION or FAIL<TAB>PARTITION<TAB>why.
"""

import json
import os
import sys

import botocore


def schema_regions(schema: dict) -> dict:
    """{partition: regions}, from each partition rule's `hybrid.region` enum."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            const = node.get("if", {}).get("properties", {}).get("partition", {}).get("const")
            hybrid = (
                node.get("then", {}).get("properties", {}).get("hybrid", {}).get("properties", {}).get("region", {})
            )
            if const and "enum" in hybrid:
                found[const] = sorted(r for r in hybrid["enum"] if r is not None)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return found


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    ours = schema_regions(schema)
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    theirs = {
        p["id"]: sorted(r for r in p["regions"] if not r.endswith("-global"))
        for p in json.load(open(path, encoding="utf-8"))["partitions"]
    }
    if not ours:
        print("FAIL\t(all)\tno partition rule with hybrid.region in the schema")
        return
    for partition, regions in sorted(ours.items()):
        case = f"{partition} (botocore {botocore.__version__})"
        if partition not in theirs:
            print(f"FAIL\t{case}\tbotocore has no partition {partition}")
            continue
        missing = sorted(set(theirs[partition]) - set(regions))
        extra = sorted(set(regions) - set(theirs[partition]))
        if missing or extra:
            why = []
            if missing:
                why.append(f"regions botocore lists and src/refdata.rs lacks: {', '.join(missing)}")
            if extra:
                why.append(f"regions src/refdata.rs lists and botocore does not: {', '.join(extra)}")
            print(f"FAIL\t{case}\t{'; '.join(why)}")
        else:
            print(f"PASS\t{case}")


if __name__ == "__main__":
    main()
