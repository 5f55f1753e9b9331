#!/usr/bin/env python3
"""Real Terraform judges every fixture's module folder (`--layout module`).

terraform 1.0.3 cannot download the AWS provider here, so besides `terraform fmt
-check -recursive` on the folder as generated, each module is copied without the
provider: versions.tf keeps `required_version` only, main.tf's resources become one
object each in `local.all` (references to resources and data sources become the
strings "REF:<address>", as scripts/terraform-agreement.py does), outputs.tf keeps its
outputs with such strings as values; variables.tf and examples/basic/main.tf are
copied unchanged. On that copy:
  - `terraform validate` of the module, and of examples/basic calling it (after
    `terraform init -backend=false`, which installs the local module): every
    reference to an input or local resolves and the example passes only inputs the
    module declares and reads only outputs it has;
  - `terraform plan` with the defaults (every validation accepts the spec's values),
    with good values for every input (accepted), and with bad ones (each variable
    must be refused by its validation);
  - `terraform console` evaluates `jsonencode(local.all)` with the defaults, and it
    must equal what terraform.tf (the root output) reads to: the same names, paths,
    tags, policy documents, attachments and outputs, once the module's `count` is 1,
    its null arguments left out, `path = "/"` and empty `tags` left out (the
    provider's defaults), and its `_additional` attachments (count 0 by default) set
    aside.

usage: scripts/terraform-module-check.py TERRAFORM FIXTURES_DIR [CASE...]
prints PASS/FAIL<TAB>case[<TAB>reason] lines; exit status 1 when any case fails.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("terraform_agreement", HERE / "terraform-agreement.py")
agreement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(agreement)

ENV = dict(os.environ, CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
# `aws_iam_role.x[0].name` and `one(aws_iam_role.x[*].arn)`: one instance of a counted resource
INSTANCE = r"(aws_[a-z_]+\.[a-z0-9_]+)\[0\]\.([a-z_]+)"
SPLAT = r"one\((aws_[a-z_]+\.[a-z0-9_]+)\[\*\]\.([a-z_]+)\)"


def strip_versions(text: str) -> str:
    """versions.tf without required_providers (the provider cannot be installed here)."""
    out, skipping = [], False
    for line in text.splitlines():
        if line == "  required_providers {":
            skipping = True
            continue
        if skipping:
            skipping = line != "  }"
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def refs(line: str) -> str:
    if line.lstrip().startswith("#"):
        return line
    line = agreement.blocks_and_meta_arguments(line)
    line = re.sub(r"(?<![\w.$\"])(" + agreement.REF + r")", r'"REF:\1"', line)
    line = re.sub(SPLAT, r'"REF:\1.\2"', line)
    line = re.sub(r"(?<![\w.$\"])" + INSTANCE, r'"REF:\1.\2"', line)
    # the one attachment per input ARN: its first, if any (count is 0 by default)
    return line.replace("var.additional_policy_arns[count.index]", "try(var.additional_policy_arns[0], null)")


def main_to_locals(text: str) -> str:
    """main.tf with every resource an object of local.all; its own locals blocks kept."""
    kept, body, mode = [], [], None
    for line in text.splitlines():
        if mode == "locals":
            kept.append(line)
            mode = None if line == "}" else mode
            continue
        if line == "locals {":
            mode = "locals"
            kept.append(line)
            continue
        if re.match(r'^data "[a-z_]+" "[a-z_]+" \{\}$', line):
            continue
        m = re.match(r'^resource "([a-z_]+)" "([a-z0-9_]+)" \{$', line)
        if m:
            line = f'"resource.{m[1]}.{m[2]}" = {{'
        body.append(refs(line))
    return "\n".join(kept) + "\nlocals {\n  all = {\n" + "\n".join(body) + "\n  }\n}\n"


def run(terraform, cwd, *args, stdin=None):
    return subprocess.run([terraform, *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          env=ENV, timeout=300)


def unescape(hcl_literal: str) -> str:
    """A decoded HCL string literal's text: `$${` and `%%{` are `${` and `%{`."""
    return hcl_literal.replace("$${", "${").replace("%%{", "%{")


def tfvars(values: dict) -> str:
    """A .tfvars.json text."""
    return json.dumps(values)


def policy_meaning(text: str) -> str:
    """A policy document with each one-element Action, NotAction, Resource or
    NotResource list written as its element: IAM reads "X" and ["X"] alike (IAM JSON
    policy element reference), and the module builds a list from its `readable`
    input where the root writes the model's single ARN as a string."""
    try:
        doc = json.loads(text)
    except (TypeError, ValueError):
        return text
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    for st in statements if isinstance(statements, list) else []:
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if isinstance(st.get(key), list) and len(st[key]) == 1:
                st[key] = st[key][0]
    return json.dumps(doc, sort_keys=True)


def normalise(entry):
    """A module resource or output as the root output would write it."""
    if not isinstance(entry, dict):
        return entry
    out = {}
    for k, v in entry.items():
        if k == "count" or v is None:
            continue
        if k == "policy" and isinstance(v, str):
            out[k] = policy_meaning(v)
            continue
        if k == "path" and v == "/":
            continue
        if k == "tags" and v == {}:
            continue
        out[k] = v
    return out


def partition_of(variables: str) -> str:
    m = re.search(r'\^arn:\(?([a-z-]+)', variables)
    return m[1] if m else "aws"


def check_case(terraform: str, case_dir: Path):
    problems = []
    module = case_dir / "terraform-module"
    p = run(terraform, module, "fmt", "-check", "-diff", "-recursive", "-no-color")
    if p.returncode != 0:
        problems.append(f"terraform fmt -check -recursive: {(p.stdout + p.stderr).strip().splitlines()[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "module")
        (copy / "examples/basic").mkdir(parents=True)
        variables = (module / "variables.tf").read_text(encoding="utf-8")
        (copy / "versions.tf").write_text(strip_versions((module / "versions.tf").read_text(encoding="utf-8")))
        (copy / "variables.tf").write_text(variables)
        (copy / "main.tf").write_text(main_to_locals((module / "main.tf").read_text(encoding="utf-8")))
        (copy / "outputs.tf").write_text(
            "\n".join(refs(l) for l in (module / "outputs.tf").read_text(encoding="utf-8").splitlines()) + "\n")
        shutil.copy(module / "examples/basic/main.tf", copy / "examples/basic/main.tf")

        p = run(terraform, copy, "validate", "-no-color")
        if p.returncode != 0:
            problems.append(f"module: terraform validate: {p.stderr.strip()[:600]}")
        example = copy / "examples/basic"
        p = run(terraform, example, "init", "-backend=false", "-input=false", "-no-color")
        if p.returncode != 0:
            problems.append(f"examples/basic: terraform init: {p.stderr.strip()[:600]}")
        else:
            p = run(terraform, example, "validate", "-no-color")
            if p.returncode != 0:
                problems.append(f"examples/basic: terraform validate: {p.stderr.strip()[:600]}")
        if problems:
            return problems

        declared = re.findall(r'^variable "([a-z_]+)"', variables, re.M)
        partition = partition_of(variables)

        def plan(name, values):
            Path(copy, f"{name}.tfvars.json").write_text(tfvars(values))
            return run(terraform, copy, "plan", "-input=false", "-lock=false", "-no-color",
                       f"-var-file={name}.tfvars.json")

        p = plan("defaults", {})
        if p.returncode != 0:
            problems.append(f"plan with the defaults: {p.stderr.strip()[:600]}")
        good = {
            "create": True,
            "name_prefix": "p-",
            "path": "/platform/ssm/",
            "permissions_boundary": f"arn:{partition}:iam::111122223333:policy/boundaries/Boundary",
            "tags": {"Environment": "prod", "équipe": "données ops", "a:b/c=d+e-f@g_h.i": "x"},
            "additional_policy_arns": [f"arn:{partition}:iam::111122223333:policy/extra/Extra"],
            "readable": ["/app/prod/*", "region", "build-*", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o"],
        }
        p = plan("good", {k: v for k, v in good.items() if k in declared})
        if p.returncode != 0:
            problems.append(f"plan with good values for every input was refused: {p.stderr.strip()[:600]}")
        spec_arns = re.findall(r'setintersection\(var\.additional_policy_arns, \[("[^"]+")', variables)
        bad_sets = [
            {
                "name_prefix": "bad prefix!",
                "path": "no-slashes",
                "permissions_boundary": "arn:aws:s3:::a-bucket",
                "tags": {"aws:reserved": "x"},
                "additional_policy_arns": ["not-an-arn"],
                # a wildcard IAM would read inside the name
                "readable": ["/app/*/db"],
            },
            {
                "name_prefix": "x" * 129,
                "path": "/a//b/",
                "permissions_boundary": f"arn:{partition}:iam::12345:policy/Short",
                "tags": {f"k{i}": "v" for i in range(51)},
                "additional_policy_arns": [f"arn:{partition}:iam::111122223333:policy/P{i}" for i in range(11)],
                # a name Parameter Store reserves
                "readable": ["/AWS/x"],
            },
            {
                "tags": {"k": "bad<value>"},
                # an ARN the spec attaches already, its HCL template escapes undone
                **({"additional_policy_arns": [unescape(json.loads(spec_arns[0]))]} if spec_arns else {}),
                # one parameter twice
                "readable": ["license", "/license"],
            },
            # too many for the Deny's one policy; sixteen levels
            {"readable": [f"/team-{i:02}/{'x' * 100}/*" for i in range(30)]},
            {"readable": ["/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"]},
        ]
        for i, bad in enumerate(bad_sets):
            bad = {k: v for k, v in bad.items() if k in declared}
            if not bad:
                # Only inputs this module does not have (`readable` without a
                # parameter_store): nothing to refuse.
                continue
            p = plan(f"bad{i}", bad)
            refused = set(re.findall(r'variable "([a-z_]+)" \{', p.stderr))
            if p.returncode == 0 or refused != set(bad):
                problems.append(f"bad values {sorted(bad)}: refused {sorted(refused)} (exit {p.returncode})")

        p = run(terraform, copy, "console", "-no-color", stdin="jsonencode(local.all)\n")
        if p.returncode != 0:
            problems.append(f"terraform console: {p.stderr.strip()[:600]}")
            return problems
        module_all = json.loads(json.loads(p.stdout.strip()))
    root_all = agreement.evaluate(terraform, "main.tf",
                                  agreement.hcl_to_locals((case_dir / "terraform.tf").read_text(encoding="utf-8")))
    outputs = re.findall(r'^output "([a-z0-9_]+)"', (module / "outputs.tf").read_text(encoding="utf-8"), re.M)
    # outputs.tf, read as the rewrite spells it
    for name in outputs:
        m = re.search(r'output "' + name + r'" \{\n  description = ("(?:[^"\\]|\\.)*")\n  value\s+= (.*)\n',
                      (module / "outputs.tf").read_text(encoding="utf-8"))
        value = refs(m[2])
        module_all[f"output.{name}"] = {"description": json.loads(m[1]), "value": json.loads(value)}
    for key in list(module_all):
        entry = module_all[key]
        if key.endswith("_additional"):
            if entry.get("count") != 0:
                problems.append(f"{key}: count {entry.get('count')} with the defaults, not 0")
            del module_all[key]
        elif isinstance(entry, dict) and "count" in entry and entry["count"] != 1:
            problems.append(f"{key}: count {entry['count']} with the defaults, not 1")
    module_all = {k: normalise(v) for k, v in module_all.items()}
    root_all = {k: normalise(v) for k, v in root_all.items()}
    for k in sorted(set(module_all) | set(root_all)):
        if module_all.get(k) != root_all.get(k):
            problems.append(f"{k}: module {json.dumps(module_all.get(k))} != root {json.dumps(root_all.get(k))}")
    return problems


def main():
    terraform, root = sys.argv[1], Path(sys.argv[2])
    cases = sys.argv[3:] or sorted(d.name for d in root.iterdir() if (d / "terraform-module").is_dir())

    def one(case):
        try:
            return case, check_case(terraform, root / case)
        except Exception as e:  # a crash is a finding about this case
            return case, [f"{type(e).__name__}: {e}"]

    failed = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for case, problems in pool.map(one, cases):
            if problems:
                failed += 1
                print(f"FAIL\t{case}\t{problems[0]}")
                for p in problems:
                    print(f"  {case}: {p}", file=sys.stderr)
            else:
                print(f"PASS\t{case}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
