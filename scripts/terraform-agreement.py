#!/usr/bin/env python3
"""HCL and Terraform JSON of every fixture mean the same, as real Terraform reads them.

terraform 1.0.3 cannot `init` offline (no provider download), but `terraform console`
evaluates a configuration that holds only locals. So each fixture's terraform.tf and
terraform.tf.json are rewritten into locals-only configurations -- every resource and
output body becomes one object in `local.all`, references to resources and data
sources become the strings "REF:<address>" -- and Terraform evaluates
`jsonencode(local.all)` for both. The results must be equal, key for key: names,
paths, descriptions, tags, every policy document (what jsonencode produces), every
attachment and output. For fixtures with a CloudFormation template, the decoded role
description and tags must also equal the template's, which proves that hostile
strings survive HCL's and Terraform JSON's escaping.

usage: scripts/terraform-agreement.py TERRAFORM FIXTURES_DIR [CASE...]
exit status 1 when any case disagrees.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REF = r"(?:data\.)?aws_[a-z_]+\.[a-z0-9_]+\.[a-z_]+"


def blocks_and_meta_arguments(line: str) -> str:
    """A line of a resource body as an object's: a nested block (`auto_deployment {`)
    becomes an object, as in Terraform JSON; the meta-arguments that name addresses
    and attributes bare become strings (`depends_on` as "REF:<address>")."""
    line = re.sub(r"^(\s+)([a-z_]+) \{$", r"\1\2 = {", line)
    m = re.match(r"^(\s+)(depends_on|ignore_changes) = \[(.*)\]$", line)
    if m:
        prefix = "REF:" if m[2] == "depends_on" else ""
        names = [n.strip() for n in m[3].split(",") if n.strip()]
        line = f'{m[1]}{m[2]} = [{", ".join(json.dumps(prefix + n) for n in names)}]'
    return line


def hcl_to_locals(text: str) -> str:
    out, skipping = [], False
    for line in text.splitlines():
        if skipping:
            skipping = line != "}"
            continue
        if line == "terraform {":
            skipping = True
            continue
        if re.match(r'^data "[a-z_]+" "[a-z_]+" \{\}$', line):
            continue
        m = re.match(r'^resource "([a-z_]+)" "([a-z0-9_]+)" \{$', line)
        if m:
            line = f'"resource.{m[1]}.{m[2]}" = {{'
        m = re.match(r'^output "([a-z0-9_]+)" \{$', line)
        if m:
            line = f'"output.{m[1]}" = {{'
        line = blocks_and_meta_arguments(line)
        # a precondition's contains(LIST, REF) is compared as its arguments, not as the
        # false it evaluates to without the data source
        line = re.sub(r"= contains\((.*)\)$", r"= [\1]", line)
        if not line.lstrip().startswith("#"):
            line = re.sub(r"(?<![\w.$\"])(" + REF + r")", r'"REF:\1"', line)
        out.append(line)
    return "locals {\n  all = {\n" + "\n".join(out) + "\n  }\n}\n"


def json_to_locals(doc: dict) -> dict:
    def refs(v):
        if isinstance(v, str):
            # every reference inside an interpolation, as the HCL side spells it
            return re.sub(r"(?<!\$)\$\{([^{}]*)\}",
                          lambda m: "${" + re.sub(r'(?<![\w."])(' + REF + r")", r'"REF:\1"',
                                                  re.sub(r"^contains\((.*)\)$", r"[\1]", m[1])) + "}", v)
        if isinstance(v, list):
            return [refs(x) for x in v]
        if isinstance(v, dict):
            return {k: refs(x) for k, x in v.items() if k != "//"}
        return v

    everything = {}
    for typ, named in doc.get("resource", {}).items():
        for name, body in named.items():
            body = dict(body)
            if "depends_on" in body:
                body["depends_on"] = ["REF:" + d for d in body["depends_on"]]
            # a block Terraform JSON writes as a list of one (precondition) is one
            # object in the HCL side's reading
            if isinstance(body.get("lifecycle"), dict):
                body["lifecycle"] = {k: (x[0] if k == "precondition" and isinstance(x, list) and len(x) == 1 else x)
                                     for k, x in body["lifecycle"].items()}
            everything[f"resource.{typ}.{name}"] = refs(body)
    for name, body in doc.get("output", {}).items():
        everything[f"output.{name}"] = refs(body)
    locals_ = {k: refs(v) for k, v in doc.get("locals", {}).items()}
    locals_["all"] = everything
    return {"locals": locals_}


def evaluate(terraform: str, filename: str, content: str):
    with tempfile.TemporaryDirectory() as d:
        Path(d, filename).write_text(content, encoding="utf-8")
        env = dict(os.environ, CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
        p = subprocess.run([terraform, "console", "-no-color"], cwd=d, input="jsonencode(local.all)\n",
                           capture_output=True, text=True, env=env, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"terraform console failed on {filename}:\n{p.stderr}\n--- input ---\n{content}")
        return json.loads(json.loads(p.stdout.strip()))


def decode_policies(all_):
    for body in all_.values():
        for k in ("assume_role_policy", "policy"):
            if k in body:
                body[k] = json.loads(body[k])
    return all_


def check(terraform, case_dir: Path):
    problems = []
    hcl = evaluate(terraform, "main.tf", hcl_to_locals((case_dir / "terraform.tf").read_text(encoding="utf-8")))
    js = evaluate(terraform, "main.tf.json",
                  json.dumps(json_to_locals(json.loads((case_dir / "terraform.tf.json").read_text(encoding="utf-8")))))
    if hcl != js:
        for k in sorted(set(hcl) | set(js)):
            if hcl.get(k) != js.get(k):
                problems.append(f"{k}: HCL {json.dumps(hcl.get(k))} != JSON {json.dumps(js.get(k))}")
    hcl = decode_policies(hcl)
    cfn_path = case_dir / "cloudformation.json"
    if cfn_path.exists():
        cfn = json.loads(cfn_path.read_text(encoding="utf-8"))
        for r in cfn["Resources"].values():
            if r["Type"] != "AWS::IAM::Role":
                continue
            p = r["Properties"]
            tf_roles = [b for k, b in hcl.items() if k.startswith("resource.aws_iam_role.") and b["name"] == p["RoleName"]]
            if len(tf_roles) != 1:
                problems.append(f"role {p['RoleName']}: {len(tf_roles)} Terraform roles")
                continue
            tr = tf_roles[0]
            if tr.get("description") != p.get("Description"):
                problems.append(f"role {p['RoleName']}: description {tr.get('description')!r} != {p.get('Description')!r}")
            cfn_tags = {t["Key"]: t["Value"] for t in p.get("Tags", [])}
            if (tr.get("tags") or {}) != cfn_tags:
                problems.append(f"role {p['RoleName']}: tags {tr.get('tags')!r} != {cfn_tags!r}")
    n = len(hcl)
    if (case_dir / "terraform-rollout.tf").exists():
        problems += check_rollout(terraform, case_dir)
    return problems, n


def check_rollout(terraform, case_dir: Path):
    """The rollout's HCL and JSON read the same, and every StackSet's template_body is
    the TemplateBody of the CloudFormation rollout's StackSet of that name, as JSON."""
    problems = []
    hcl = evaluate(terraform, "main.tf", hcl_to_locals((case_dir / "terraform-rollout.tf").read_text(encoding="utf-8")))
    js = evaluate(terraform, "main.tf.json", json.dumps(json_to_locals(
        json.loads((case_dir / "terraform-rollout.tf.json").read_text(encoding="utf-8")))))
    if hcl != js:
        for k in sorted(set(hcl) | set(js)):
            if hcl.get(k) != js.get(k):
                problems.append(f"rollout {k}: HCL {json.dumps(hcl.get(k))[:300]} != JSON {json.dumps(js.get(k))[:300]}")
    cfn_path = case_dir / "cloudformation-rollout.json"
    if cfn_path.exists():
        cfn = json.loads(cfn_path.read_text(encoding="utf-8"))
        bodies = {r["Properties"]["StackSetName"]: json.loads(r["Properties"]["TemplateBody"])
                  for r in cfn["Resources"].values() if r["Type"] == "AWS::CloudFormation::StackSet"}
        tf = {b["name"]: json.loads(b["template_body"]) for k, b in hcl.items()
              if k.startswith("resource.aws_cloudformation_stack_set.")}
        if set(tf) != set(bodies):
            problems.append(f"rollout: Terraform's StackSets {sorted(tf)} != CloudFormation's {sorted(bodies)}")
        for name in set(tf) & set(bodies):
            if tf[name] != bodies[name]:
                problems.append(f"rollout: StackSet {name}: Terraform's template_body != CloudFormation's TemplateBody")
    return problems


def main():
    terraform, root = sys.argv[1], Path(sys.argv[2])
    cases = sys.argv[3:] or sorted(d.name for d in root.iterdir() if (d / "terraform.tf").exists())
    # terraform-rollout.tf beside terraform.tf is judged with it (check_rollout)
    failed = 0
    for case in cases:
        try:
            problems, n = check(terraform, root / case)
        except Exception as e:  # a parse failure is a finding, not a crash
            problems, n = [f"{type(e).__name__}: {e}"], 0
        print(("PASS" if not problems else "FAIL") + f"\t{case}\t{n} resources and outputs compared")
        for p in problems:
            print(f"  {p}")
        failed += bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
