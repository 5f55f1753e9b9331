#!/usr/bin/env python3
"""Deploy-time judge: the rules AWS itself enforces when a generated output is deployed,
which cfn-lint and moto do not (issue 11). An independent check: it re-derives every
rule from AWS's documentation as docs/sources.md cites it and shares
no code or table with the compiler.

  deploy_rules.py judge FIXTURES OUT CASE...
      one line per case, "PASS<TAB>case" or "FAIL<TAB>case<TAB>reason" (details and
      notes on stderr). Judges FIXTURES/<case>/cloudformation.json, cloudformation.yaml,
      terraform.tf.json and the CDK synth output OUT/cdk/<case>/*.template.json.
  deploy_rules.py self-test
      feeds the rules known-bad (and known-good) documents and fails unless each bad
      one is refused for the right reason, so the judge cannot pass silently.

The rules:
- policy documents (managed, inline and trust policies): only tab, LF, CR and
  U+0020-U+00FF. botocore iam service-2.json, shape policyDocumentType, pattern
  [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+ (docs/sources.md 7); anything else is
  MalformedPolicyDocument at deploy.
- tags (IAM resources): keys 1-128 and values 0-256 characters of
  [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@] (botocore tagKeyType / tagValueType, IAM User Guide
  id_tags.md; docs/sources.md 7): Unicode letters, separators and numbers by general
  category, so combining marks (Mn, Mc) are refused; at most 50 tags; a key must not
  begin with aws:; keys that differ only in case on one resource are refused (IAM
  tagging page, "Case sensitivity"; docs/sources.md 7).
- CloudFormation quotas per template (AWS CloudFormation User Guide, "CloudFormation
  quotas" / cloudformation-limits; docs/sources.md 7): 500 resources, 200 outputs, a
  template body of 1 MB (1,000,000 bytes, as cfn-lint counts it); above 51,200 bytes
  a note that `aws cloudformation deploy` then needs --s3-bucket.
- managed policies per role (IAM User Guide reference_iam-quotas.md; docs/sources.md 7):
  10 by default; the spec's `managed_policy_quota` (at most 25, IAM's ceiling) raises
  it; CloudFormation's AWS::IAM::Role ManagedPolicyArns holds at most 20 ARNs
  ([CFN] registry schema; docs/sources.md 8), whatever the quota.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

# ---- the numbers (each with its source above) ----------------------------------------
CFN_RESOURCES = 500
CFN_OUTPUTS = 200
CFN_BODY = 1_000_000
CFN_BODY_INLINE = 51_200
DEFAULT_QUOTA = 10
QUOTA_CEILING = 25
CFN_ARNS = 20
TAGS_PER_RESOURCE = 50
TAG_KEY_LEN = 128
TAG_VALUE_LEN = 256


def char_name(c: str) -> str:
    return f"U+{ord(c):04X} {c!r} ({unicodedata.name(c, 'unnamed')}, {unicodedata.category(c)})"


# ---- policy documents ----------------------------------------------------------------
def policy_char_ok(c: str) -> bool:
    return c in "\t\n\r" or 0x20 <= ord(c) <= 0xFF


def strings(value, path=""):
    """Every string of a JSON value (keys too), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield f"{path}.{k}", k
            yield from strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}[{i}]")


def policy_problems(doc, where: str) -> list[str]:
    out = []
    for path, s in strings(doc):
        bad = [c for c in s if not policy_char_ok(c)]
        if bad:
            out.append(f"{where}{path}: {char_name(bad[0])} in a policy document; IAM accepts only "
                       f"tab, LF, CR and U+0020-U+00FF (MalformedPolicyDocument): {s!r}")
    return out


# ---- tags ------------------------------------------------------------------------------
def tag_char_ok(c: str) -> bool:
    return unicodedata.category(c)[0] in "LZN" or c in "_.:/=+-@"


def tag_problems(tags: list[tuple[str, str]], where: str) -> list[str]:
    out = []
    if len(tags) > TAGS_PER_RESOURCE:
        out.append(f"{where}: {len(tags)} tags; IAM allows {TAGS_PER_RESOURCE} per resource")
    seen: dict[str, str] = {}
    for key, value in tags:
        if not isinstance(key, str):
            continue
        if not 1 <= len(key) <= TAG_KEY_LEN:
            out.append(f"{where}: tag key {key!r} is {len(key)} characters; IAM allows 1-{TAG_KEY_LEN}")
        if key.lower().startswith("aws:"):
            out.append(f"{where}: tag key {key!r} begins with aws:, which AWS reserves")
        for what, s in (("key", key), ("value", value)):
            if not isinstance(s, str):
                continue  # an intrinsic function: known at deploy only
            bad = [c for c in s if not tag_char_ok(c)]
            if bad:
                out.append(f"{where}: tag {what} {s!r} holds {char_name(bad[0])}; IAM tags allow letters, "
                           f"separators, numbers and _.:/=+-@ only")
        if isinstance(value, str) and len(value) > TAG_VALUE_LEN:
            out.append(f"{where}: the value of tag {key!r} is {len(value)} characters; IAM allows {TAG_VALUE_LEN}")
        if key.lower() in seen:
            out.append(f"{where}: tag keys {seen[key.lower()]!r} and {key!r} differ only in case")
        seen.setdefault(key.lower(), key)
    return out


# ---- managed policies per role ----------------------------------------------------------
def attachment_problems(counts: dict[str, int], quotas: dict[str, int], where: str) -> list[str]:
    out = []
    for role, n in sorted(counts.items()):
        quota = quotas.get(role, DEFAULT_QUOTA)
        if n > quota:
            how = "IAM's default quota" if role not in quotas else "the spec's managed_policy_quota"
            out.append(f"{where}: role {role} has {n} managed policies attached; {how} allows {quota}")
    return out


def spec_quotas(case_dir: Path) -> dict[str, int]:
    """Role name -> the spec's managed_policy_quota (10..25), for the profiles that give one."""
    spec = None
    if (case_dir / "spec.json").is_file():
        spec = json.loads((case_dir / "spec.json").read_text())
    elif (case_dir / "spec.yaml").is_file():
        import yaml
        spec = yaml.safe_load((case_dir / "spec.yaml").read_text())
    out = {}
    for p in (spec or {}).get("profiles") or []:
        q = p.get("managed_policy_quota")
        if isinstance(q, int):
            out[p.get("existing_role") or p.get("name")] = min(q, QUOTA_CEILING)
    return out


# ---- CloudFormation --------------------------------------------------------------------
POLICY_PROPS = {
    "AWS::IAM::ManagedPolicy": ["PolicyDocument"],
    "AWS::IAM::Policy": ["PolicyDocument"],
    "AWS::IAM::RolePolicy": ["PolicyDocument"],
    "AWS::IAM::Role": ["AssumeRolePolicyDocument"],
}


def cfn_problems(template: dict, size: int, quotas: dict[str, int], where: str) -> tuple[list[str], list[str]]:
    """(problems, notes) of one CloudFormation template of `size` bytes."""
    out, notes = [], []
    resources = template.get("Resources") or {}
    outputs = template.get("Outputs") or {}
    if len(resources) > CFN_RESOURCES:
        out.append(f"{where}: {len(resources)} resources; CloudFormation allows {CFN_RESOURCES} per template")
    if len(outputs) > CFN_OUTPUTS:
        out.append(f"{where}: {len(outputs)} outputs; CloudFormation allows {CFN_OUTPUTS} per template")
    if size > CFN_BODY:
        out.append(f"{where}: the template is {size:,} bytes; CloudFormation allows 1 MB ({CFN_BODY:,} bytes)")
    elif size > CFN_BODY_INLINE:
        notes.append(f"{where}: note: the template is {size:,} bytes, over the {CFN_BODY_INLINE:,} bytes "
                     f"CloudFormation takes inline: `aws cloudformation deploy` needs --s3-bucket")
    role_names = {}
    for lid, r in resources.items():
        if r.get("Type") == "AWS::IAM::Role":
            name = (r.get("Properties") or {}).get("RoleName")
            role_names[lid] = name if isinstance(name, str) else lid
    counts: dict[str, int] = {}
    for lid, r in resources.items():
        t, props = r.get("Type"), r.get("Properties") or {}
        at = f"{where}: Resources.{lid}"
        for prop in POLICY_PROPS.get(t, []):
            if prop in props:
                out += policy_problems(props[prop], f"{at}.{prop}")
        for i, p in enumerate((props.get("Policies") or []) if t == "AWS::IAM::Role" else []):
            out += policy_problems(p.get("PolicyDocument"), f"{at}.Policies[{i}].PolicyDocument")
        tags = props.get("Tags")
        if isinstance(tags, list):
            out += tag_problems([(t.get("Key"), t.get("Value")) for t in tags if isinstance(t, dict)], f"{at}.Tags")
        if t == "AWS::IAM::Role":
            arns = props.get("ManagedPolicyArns") or []
            if len(arns) > CFN_ARNS:
                out.append(f"{at}.ManagedPolicyArns: {len(arns)} ARNs; CloudFormation allows {CFN_ARNS}")
            counts[role_names[lid]] = counts.get(role_names[lid], 0) + len(arns)
        if t == "AWS::IAM::ManagedPolicy":
            for role in props.get("Roles") or []:
                if isinstance(role, dict) and role.get("Ref") in role_names:
                    role = role_names[role["Ref"]]
                if isinstance(role, str):
                    counts[role] = counts.get(role, 0) + 1
    out += attachment_problems(counts, quotas, where)
    return out, notes


def cfn_yaml_load(text: str):
    """CloudFormation YAML with its short-form tags (!Ref, !GetAtt, !Sub, ...)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def tagged(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if suffix == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}

    Loader.add_multi_constructor("!", tagged)
    return yaml.load(text, Loader=Loader)


# ---- Terraform JSON --------------------------------------------------------------------
LOCAL_REF = re.compile(r"^\$\{jsonencode\(local\.([A-Za-z0-9_-]+)\)\}$")
ROLE_REF = re.compile(r"^\$\{aws_iam_role\.([A-Za-z0-9_-]+)\.(?:name|id)\}$")


def tf_policy(value, local_values):
    """A policy argument: `${jsonencode(local.X)}`, a JSON string, or other text."""
    if isinstance(value, str):
        m = LOCAL_REF.match(value)
        if m:
            return local_values.get(m.group(1), value)
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def tf_problems(config: dict, quotas: dict[str, int], where: str) -> list[str]:
    out = []
    local_values = config.get("locals") or {}
    if isinstance(local_values, list):  # `locals` may be a list of blocks
        local_values = {k: v for block in local_values for k, v in block.items()}
    resources = config.get("resource") or {}
    roles = resources.get("aws_iam_role") or {}
    role_names = {n: (b.get("name") if isinstance(b.get("name"), str) else n) for n, b in roles.items()}
    counts: dict[str, int] = {}
    for rtype, blocks in resources.items():
        for name, b in (blocks or {}).items():
            at = f"{where}: resource.{rtype}.{name}"
            for arg in ("policy", "assume_role_policy"):
                if rtype.startswith("aws_iam_") and arg in b:
                    out += policy_problems(tf_policy(b[arg], local_values), f"{at}.{arg}")
            for block in (b.get("inline_policy") or []) if rtype == "aws_iam_role" else []:
                out += policy_problems(tf_policy(block.get("policy"), local_values), f"{at}.inline_policy")
            if isinstance(b.get("tags"), dict):
                out += tag_problems(list(b["tags"].items()), f"{at}.tags")
            if rtype == "aws_iam_role":
                counts[role_names[name]] = counts.get(role_names[name], 0) + len(b.get("managed_policy_arns") or [])
            if rtype == "aws_iam_role_policy_attachment":
                role = b.get("role")
                m = ROLE_REF.match(role) if isinstance(role, str) else None
                if m:
                    role = role_names.get(m.group(1), m.group(1))
                if isinstance(role, str):
                    counts[role] = counts.get(role, 0) + 1
    out += attachment_problems(counts, quotas, where)
    return out


# ---- one fixture -----------------------------------------------------------------------
def judge_case(case_dir: Path, out_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """(problems, notes, files judged)."""
    quotas = spec_quotas(case_dir)
    problems, notes, judged = [], [], []
    cfn = [(case_dir / "cloudformation.json", json.loads), (case_dir / "cloudformation.yaml", cfn_yaml_load)]
    cfn += [(f, json.loads) for f in sorted((out_dir / "cdk" / case_dir.name).glob("*.template.json"))]
    for path, load in cfn:
        if path.is_file():
            body = path.read_bytes()
            p, n = cfn_problems(load(body.decode("utf-8")), len(body), quotas, path.name)
            problems += p
            notes += n
            judged.append(path.name)
    tf = case_dir / "terraform.tf.json"
    if tf.is_file():
        problems += tf_problems(json.loads(tf.read_text()), quotas, tf.name)
        judged.append(tf.name)
    return problems, notes, judged


def cmd_judge(root: str, out: str, cases: list[str]) -> int:
    for case in cases:
        try:
            problems, notes, judged = judge_case(Path(root) / case, Path(out))
        except Exception as e:  # noqa: BLE001  (a file the judge cannot read fails, never passes)
            problems, notes, judged = [f"{type(e).__name__}: {e}"], [], []
        for n in notes:
            print(f"  {case}: {n}", file=sys.stderr)
        if problems:
            for p in problems:
                print(f"  {case}: {p}", file=sys.stderr)
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            print(f"FAIL\t{case}\t{problems[0]}{more}")
        elif not judged:
            print(f"FAIL\t{case}\tnothing to judge: no CloudFormation, Terraform JSON or CDK synth output")
        else:
            print(f"  {case}: judged {', '.join(judged)}", file=sys.stderr)
            print(f"PASS\t{case}")
        sys.stdout.flush()
    return 0


# ---- self-test -------------------------------------------------------------------------
def cfn_template(resources=None, outputs=None, tags=None, doc_resource="arn:aws:s3:::bucket/*",
                 arns=1, policies=1):
    role = {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": "r",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": [f"arn:aws:iam::aws:policy/P{i}" for i in range(arns)],
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or [("team", "platform")])]}}
    res = {"Role": role}
    for i in range(policies):
        res[f"Policy{i}"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": doc_resource}]}}}
    for i in range(resources or 0):
        res[f"Extra{i}"] = {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [{"Ref": "Role"}]}}
    outs = {f"O{i}": {"Value": {"Ref": "Role"}} for i in range(outputs or 1)}
    return {"Resources": res, "Outputs": outs}


def tf_config(tags=None, policy_text="arn:aws:s3:::bucket/*", attachments=1):
    return {
        "locals": {"doc": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": policy_text}]}},
        "resource": {
            "aws_iam_role": {"r": {"name": "r", "assume_role_policy": "{\"Version\":\"2012-10-17\"}",
                                   "tags": dict(tags or [("team", "platform")])}},
            "aws_iam_policy": {"p": {"name": "p", "policy": "${jsonencode(local.doc)}"}},
            "aws_iam_role_policy_attachment": {
                f"a{i}": {"role": "${aws_iam_role.r.name}", "policy_arn": f"arn:aws:iam::aws:policy/P{i}"}
                for i in range(attachments)},
        },
    }


def cmd_self_test() -> int:
    def cfn(t, quotas=None, size=None):
        text = json.dumps(t)
        return cfn_problems(t, size if size is not None else len(text.encode()), quotas or {}, "t")

    bad = {  # name: (problems, notes), a fragment every refusal must name
        "policy character ロ (CFN)": (cfn(cfn_template(doc_resource="arn:aws:s3:::b/ログ/*")), "U+30ED"),
        "policy character U+2028 (CFN)": (cfn(cfn_template(doc_resource="arn:aws:s3:::b/a\u2028/*")), "U+2028"),
        "policy character ロ (Terraform)": ((tf_problems(tf_config(policy_text="arn:aws:s3:::b/ログ/*"), {}, "t"), []),
                                             "U+30ED"),
        "policy character in YAML !Sub": (cfn(cfn_yaml_load(
            "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n"
            "        Statement:\n          - Resource: !Sub 'arn:${AWS::Partition}:s3:::b/ログ/*'\n")), "U+30ED"),
        "tag with combining marks (हिंदी)": (cfn(cfn_template(tags=[("lang", "हिंदी")])), "U+093F"),
        "tag key with #": (cfn(cfn_template(tags=[("team#1", "x")])), "U+0023"),
        "tag keys differing in case (CFN)": (cfn(cfn_template(tags=[("Team", "a"), ("team", "b")])),
                                             "differ only in case"),
        "tag keys differing in case (Terraform)": ((tf_problems(tf_config(tags=[("Team", "a"), ("team", "b")]), {}, "t"),
                                                    []), "differ only in case"),
        "tag key aws:": (cfn(cfn_template(tags=[("aws:x", "a")])), "reserves"),
        "201 outputs": (cfn(cfn_template(outputs=201)), "201 outputs"),
        "501 resources": (cfn(cfn_template(resources=500)), "502 resources"),
        "template over 1 MB": (cfn(cfn_template(), size=CFN_BODY + 1), "1 MB"),
        "11 managed policies, default quota": (cfn(cfn_template(arns=6, policies=5)), "11 managed policies"),
        "16 managed policies, quota 15": (cfn(cfn_template(arns=10, policies=6), {"r": 15}), "allows 15"),
        "21 ManagedPolicyArns, quota 25": (cfn(cfn_template(arns=21, policies=0), {"r": 25}), "21 ARNs"),
        "26 attachments, quota 25 (Terraform)": ((tf_problems(tf_config(attachments=26), {"r": 25}, "t"), []),
                                                 "26 managed policies"),
    }
    failures = []
    for name, ((problems, _notes), fragment) in bad.items():
        if not any(fragment in p for p in problems):
            failures.append(f"self-test: {name} was not refused for {fragment!r}; problems: {problems}")
    good = {
        "a plain template": cfn(cfn_template()),
        "Latin-1 in a policy, tags in many scripts": cfn(cfn_template(
            doc_resource="arn:aws:s3:::b/café\t/*", tags=[("équipe", "ロボット 2"), ("名前", "हम"), ("k", "")])),
        "15 managed policies, quota 15": cfn(cfn_template(arns=10, policies=5), {"r": 15}),
        "20 ManagedPolicyArns, quota 25": cfn(cfn_template(arns=20, policies=5), {"r": 25}),
        "a plain Terraform configuration": (tf_problems(tf_config(attachments=10), {}, "t"), []),
    }
    for name, (problems, _notes) in good.items():
        if problems:
            failures.append(f"self-test: {name} was refused: {problems}")
    problems, notes = cfn(cfn_template(), size=CFN_BODY_INLINE + 1)
    if problems or not any("--s3-bucket" in n for n in notes):
        failures.append(f"self-test: a 51,201-byte template must pass with a --s3-bucket note: {problems} {notes}")
    for f in failures:
        print(f, file=sys.stderr)
    total = len(bad) + len(good) + 1
    print(f"self-test: {total - len(failures)} of {total} cases as expected", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv[1:2] == ["self-test"]:
        return cmd_self_test()
    if argv[1:2] == ["judge"] and len(argv) >= 4:
        return cmd_judge(argv[2], argv[3], argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
