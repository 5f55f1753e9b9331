#!/usr/bin/env python3
"""Judges the adoption goldens of every fixture that adopts (issue 24).

static CFNLINT TERRAFORM FIX CASE...: per case, cfn-lint passes on
cloudformation-import.json and cloudformation-import.yaml; terraform fmt leaves
terraform-imports.tf and terraform-module-imports.tf as they are; each entry of
cloudformation-resources-to-import.json and cdk-resource-mapping.json names a
resource of cloudformation.json by its logical ID, with that resource's type, and is
identified by the primaryIdentifier of its type's CloudFormation resource schema (as
cfn-lint ships them), which is what an IMPORT change set and `cdk import` take; every
`to` of terraform-imports.tf.json is a `to` of terraform-imports.tf.

Prints PASS<TAB>case or FAIL<TAB>case<TAB>why, one line per case (scripts/conformance
records them as the check `adoption`).
"""

import glob
import json
import os
import re
import subprocess
import sys


def schemas(cfnlint):
    root = os.path.join(
        os.path.dirname(os.path.dirname(cfnlint)), "lib")
    found = {}
    for path in glob.glob(os.path.join(root, "python3*", "site-packages", "cfnlint",
                                       "data", "schemas", "resources", "*.json")):
        try:
            with open(path) as f:
                d = json.load(f)
        except (OSError, ValueError):
            continue
        name = d.get("typeName")
        if name in ("AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::InstanceProfile"):
            found[name] = [p.rsplit("/", 1)[-1] for p in d.get("primaryIdentifier", [])]
    return found


def static(cfnlint, terraform, fix, cases):
    ids = schemas(cfnlint)
    for case in cases:
        d = os.path.join(fix, case)
        why = []
        for f in ("cloudformation-import.json", "cloudformation-import.yaml"):
            p = subprocess.run([cfnlint, os.path.join(d, f)], capture_output=True, text=True)
            if p.returncode != 0:
                why.append(f"cfn-lint {f}: {(p.stdout + p.stderr).strip()[:300]}")
        for f in ("terraform-imports.tf", "terraform-module-imports.tf"):
            p = subprocess.run([terraform, "fmt", "-check", "-no-color", f], cwd=d,
                               capture_output=True, text=True)
            if p.returncode != 0:
                why.append(f"terraform fmt {f}: exit {p.returncode}")
        template = json.load(open(os.path.join(d, "cloudformation.json")))["Resources"]
        items = json.load(open(os.path.join(d, "cloudformation-resources-to-import.json")))
        mapping = json.load(open(os.path.join(d, "cdk-resource-mapping.json")))
        for item in items:
            lid, rtype = item["LogicalResourceId"], item["ResourceType"]
            res = template.get(lid)
            if res is None or res.get("Type") != rtype:
                why.append(f"{lid}: no {rtype} of that logical ID in cloudformation.json")
                continue
            if res.get("DeletionPolicy") != "Retain":
                why.append(f"{lid}: no DeletionPolicy Retain, which an import requires")
            keys = sorted(item["ResourceIdentifier"])
            if rtype in ids and keys != sorted(ids[rtype]):
                why.append(f"{lid}: identified by {keys}, the schema's primaryIdentifier is {ids[rtype]}")
            if mapping.get(lid) != item["ResourceIdentifier"]:
                why.append(f"{lid}: the CDK's resource mapping says {mapping.get(lid)}")
        if sorted(mapping) != sorted(i["LogicalResourceId"] for i in items):
            why.append("the CDK's resource mapping and the resources to import name other resources")
        hcl = open(os.path.join(d, "terraform-imports.tf")).read()
        to_hcl = re.findall(r"^\s*to = (\S+)$", hcl, re.M)
        to_json = [i["to"] for i in json.load(open(os.path.join(d, "terraform-imports.tf.json")))["import"]]
        if to_hcl != to_json or not to_hcl:
            why.append("terraform-imports.tf and terraform-imports.tf.json import different resources")
        print(f"FAIL\t{case}\t{'; '.join(why)}" if why else f"PASS\t{case}")


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "static":
        static(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit("usage: adoption_check.py static CFNLINT TERRAFORM FIX CASE...")
