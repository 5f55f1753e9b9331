#!/usr/bin/env python3
"""Which Parameter Store reads IAM allows a profile's role, computed from the generated
files alone: an evaluator that shares no code with the compiler.

    parameter_access.py judge FIXTURES OUT CASE...   PASS/FAIL<TAB>CASE lines (conformance)
    parameter_access.py self-test                     the evaluator on known policies

For each case, every target's output (cloudformation.json, terraform.tf,
terraform.tf.json, and the CDK synth templates OUT/cdk/CASE/*.template.json) is
reduced with scripts/iam_meaning.py to its roles and policies; each role's policies
are the AWS managed policies it attaches (the documents pinned below, with their
versions) and the statements of the policies the file writes. IAM's decision is then
computed for sampled requests: an explicit Deny in any statement wins, else an Allow
in any statement allows, else the request is denied (IAM User Guide, "Policy
evaluation logic", single account). Resources match per ARN field with `*` and `?`
as wildcards; a policy variable (`${...}`) is an error, as this evaluator reads none.

The expected answer is derived from the spec's `parameter_store.readable` as the
issue states it (not from the compiler): a name is readable when it is an entry
(with or without its leading `/`), or begins with a prefix entry's text before the
`*`; `/aws/service/*` (AWS's public parameters, no account) is readable; with
`cloudwatch_agent`, `AmazonCloudWatch-*` is readable. GetParametersByPath on a path is
allowed only when every name below it is readable by a prefix (the path and a `/`
begin with the prefix), or below `/aws/service`. The names are parameters of the
account the role is deployed in (the issue: "parameter ARNs of this account, any
region"): the same name in another account, shared with this one or not, is denied.
The generated files name that account at deploy time (`${AWS::AccountId}`, the caller
identity, the stack's account), which iam_meaning.py reduces to `${ACCOUNT}`; the
evaluator puts the role's account there and reads no other policy variable. Without
`parameter_store`, every parameter Core allows is readable.

Two sets of policies are judged: the role as generated (Core allows GetParameter and
GetParameters only, so GetParameterHistory and GetParametersByPath are denied for
want of an Allow), and the role with AmazonSSMReadOnlyAccess added (`ssm:Get*` on
`*`), which shows the Deny capping a broad Allow, by path included.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import iam_meaning as im  # noqa: E402

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGIONS = {"aws": ["us-east-1", "eu-west-1"], "aws-cn": ["cn-north-1"], "aws-us-gov": ["us-gov-west-1"],
           "aws-eusc": ["eusc-de-east-1"]}

# AmazonSSMManagedInstanceCore, version v2 (2019-05-23), as the AWS Managed Policy
# Reference publishes it (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html).
CORE_V2 = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": [
        "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument",
        "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters",
        "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
        "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
        "ssm:UpdateInstanceInformation"], "Resource": "*"},
    {"Effect": "Allow", "Action": [
        "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel"], "Resource": "*"},
    {"Effect": "Allow", "Action": [
        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
        "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"], "Resource": "*"}]}

# CloudWatchAgentServerPolicy: its Parameter Store statement only (version v1 of the
# AWS Managed Policy Reference; the others are CloudWatch, logs, EC2 and X-Ray).
CLOUDWATCH_AGENT_SSM = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"}]}

# AmazonSSMReadOnlyAccess, version v1: ssm:Describe*, Get*, List* on `*`.
READ_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ssm:Describe*", "ssm:Get*", "ssm:List*"], "Resource": "*"}]}

PINNED = {"AmazonSSMManagedInstanceCore": CORE_V2, "CloudWatchAgentServerPolicy": CLOUDWATCH_AGENT_SSM}
VALUE_READS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory"]
BY_PATH = "ssm:GetParametersByPath"
PUBLIC = "aws/service"


# ------------------------------------------------------------------ IAM's decision
def glob(pattern: str, text: str, case: bool = True) -> bool:
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, text, 0 if case else re.IGNORECASE) is not None


def substitute(resource: str, account: str) -> str:
    """The resource in the role's `account`: iam_meaning's deploying account is it."""
    resource = resource.replace(im.ACCOUNT, account)
    if "${" in resource:
        raise ValueError(f"a policy variable this evaluator does not read: {resource}")
    return resource


def arn_matches(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    p, a = pattern.split(":", 5), arn.split(":", 5)
    return len(p) == len(a) == 6 and all(glob(x, y) for x, y in zip(p, a))


def statement_applies(st: dict, action: str, arn: str, account: str) -> bool:
    actions = im.as_list(st.get("Action"))
    if "NotAction" in st:
        if any(glob(a, action, case=False) for a in im.as_list(st["NotAction"])):
            return False
    elif not any(glob(a, action, case=False) for a in actions):
        return False
    if "Condition" in st:
        raise ValueError(f"a condition this evaluator does not read: {st['Condition']}")
    if "NotResource" in st:
        return not any(arn_matches(substitute(r, account), arn) for r in im.as_list(st["NotResource"]))
    return any(arn_matches(substitute(r, account), arn) for r in im.as_list(st.get("Resource")))


def decision(statements: list, action: str, arn: str, account: str = ACCOUNT) -> bool:
    applying = [st for st in statements if statement_applies(st, action, arn, account)]
    if any(st.get("Effect") == "Deny" for st in applying):
        return False
    return any(st.get("Effect") == "Allow" for st in applying)


# ------------------------------------------------------------------ what the spec means
def spec_of(case_dir: Path) -> dict:
    import yaml
    for name in ("spec.yaml", "spec.json"):
        p = case_dir / name
        if p.is_file():
            return yaml.safe_load(p.read_text())
    raise FileNotFoundError(f"no spec in {case_dir}")


class Intent:
    """What the spec says a profile's instance may read."""

    def __init__(self, profile: dict):
        ps = profile.get("parameter_store")
        self.narrowed = ps is not None
        self.entries = [e[1:] if e.startswith("/") else e for e in (ps or {}).get("readable", [])]
        self.cloudwatch = bool((profile.get("managed_policies") or {}).get("cloudwatch_agent"))
        self.core = (profile.get("managed_policies") or {}).get("core", True) is not False

    def name(self, resource: str, account: str) -> bool:
        """A GetParameter(s) of `parameter/RESOURCE` in `account` ('' = AWS's public)."""
        if not self.narrowed:
            return True
        if account == "":
            return resource.startswith(PUBLIC + "/")
        if account != ACCOUNT:
            return False
        if self.cloudwatch and resource.startswith("AmazonCloudWatch-"):
            return True
        return any(resource.startswith(e[:-1]) if e.endswith("*") else resource == e for e in self.entries)

    def path(self, resource: str, account: str) -> bool:
        """A GetParametersByPath of the path `/RESOURCE`: all it returns is readable."""
        if not self.narrowed:
            return True
        if account == "":
            return resource == PUBLIC or resource.startswith(PUBLIC + "/")
        if account != ACCOUNT:
            return False
        return any(e.endswith("*") and (resource + "/").startswith(e[:-1]) for e in self.entries)


def samples(intent: Intent) -> tuple[list, list]:
    """(names, paths) as (resource, account) pairs: inside, at the edges of and
    outside each entry, public ones, the CloudWatch agent's, another account's."""
    names = {("unlisted", ACCOUNT), ("app", ACCOUNT), ("app/other/secret", ACCOUNT),
             ("AmazonCloudWatch-linux", ACCOUNT), ("AmazonCloudWatch-windows", OTHER_ACCOUNT),
             (PUBLIC + "/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", ""),
             (PUBLIC + "/global-infrastructure/regions/us-east-1", ""),
             (PUBLIC + "/x", ACCOUNT), ("aws/service", "")}
    paths = {("", ACCOUNT), ("app", ACCOUNT), (PUBLIC, ""), (PUBLIC + "/ami-amazon-linux-latest", ""),
             ("aws", ""), (PUBLIC, ACCOUNT)}
    for e in intent.entries:
        stem = e[:-1] if e.endswith("*") else e
        names |= {(stem + "x", ACCOUNT), (stem + "a/b/c", ACCOUNT), (stem, ACCOUNT), (stem + "x", OTHER_ACCOUNT),
                  (stem[:-1], ACCOUNT)}
        if not e.endswith("*"):
            names |= {(stem + "/child", ACCOUNT)}
        levels = stem.rstrip("/").split("/")
        for i in range(len(levels) + 1):
            parent = "/".join(levels[:i])
            paths |= {(parent, ACCOUNT), (parent, OTHER_ACCOUNT)}
        paths |= {(stem.rstrip("/"), ACCOUNT), (stem + "x", ACCOUNT), (stem + "x/y", ACCOUNT), (stem, ACCOUNT)}
    return sorted(names), sorted(paths)


def arn(partition: str, region: str, account: str, resource: str) -> str:
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{resource}"


# ------------------------------------------------------------------ judging a file
def managed_statements(role: dict) -> list:
    """The pinned documents of the AWS managed policies the role attaches."""
    out = []
    for m in role.get("managed_policy_arns", []):
        out += PINNED.get(m.rsplit("/", 1)[-1], {"Statement": []})["Statement"]
    return out


def judge_file(path: Path, partition: str, profiles: dict) -> tuple[list, int]:
    """(problems, decisions checked) for one generated file."""
    meaning = im.meaning(path, partition)
    problems, checked = [], 0
    for role_name, profile in profiles.items():
        role = meaning["roles"].get(role_name)
        if role is None:
            problems.append(f"{path.name}: no role {role_name}")
            continue
        written = [st for name in role.get("custom_policies", []) for st in meaning["policies"][name]["statements"]]
        found, n = judge_role(managed_statements(role), written, Intent(profile), partition)
        problems += [f"{path.name}: role {role_name}{p}" for p in found]
        checked += n
    return problems, checked


def judge_role(managed: list, written: list, intent: Intent, partition: str) -> tuple[list, int]:
    """Every sampled request is allowed exactly when the AWS managed policies alone
    allow it and the spec means it to be readable; also with a broad Allow added."""
    problems, checked = [], 0
    names, paths = samples(intent)
    for extra in ([], READ_ONLY["Statement"]):
        for region in REGIONS[partition]:
            for action in VALUE_READS + [BY_PATH]:
                means = intent.path if action == BY_PATH else intent.name
                for resource, account in (paths if action == BY_PATH else names):
                    request = arn(partition, region, account, resource)
                    want = decision(managed + extra, action, request) and means(resource, account)
                    got = decision(managed + extra + written, action, request)
                    checked += 1
                    if got != want:
                        problems.append(
                            f"{' + AmazonSSMReadOnlyAccess' if extra else ''}: {action} on {request} is "
                            f"{'allowed' if got else 'denied'}, expected {'allowed' if want else 'denied'}")
    return problems, checked


def target_files(fixtures: Path, out: Path, case: str) -> list:
    d = fixtures / case
    files = [d / n for n in ("cloudformation.json", "terraform.tf", "terraform.tf.json") if (d / n).is_file()]
    return files + sorted((out / "cdk" / case).glob("*.template.json"))


def cmd_judge(fixtures: str, out: str, cases: list) -> None:
    total = 0
    for case in cases:
        d = Path(fixtures) / case
        problems = []
        try:
            spec = spec_of(d)
            partition = spec["profiles"][0].get("partition", "aws")
            profiles = {p["name"] if not p.get("existing_role") else p["existing_role"]: p
                        for p in spec["profiles"] if p.get("kind", "instance-profile") != "default-host-management"}
            files = target_files(Path(fixtures), Path(out), case)
            if not files:
                problems.append("no generated file to judge")
            for f in files:
                found, checked = judge_file(f, partition, profiles)
                problems += found
                total += checked
            print(f"  {case}: compared decisions of {', '.join(f.name for f in files)}", file=sys.stderr)
        except Exception as e:
            problems.append(f"{type(e).__name__}: {e}")
        if problems:
            for p in problems[:20]:
                print(f"  {case}: {p}", file=sys.stderr)
            print(f"FAIL\t{case}\t{problems[0]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""))
        else:
            print(f"PASS\t{case}")
        sys.stdout.flush()
    print(f"parameter-access: {total} decisions checked", file=sys.stderr)


# ------------------------------------------------------------------ self-test
def self_test() -> int:
    """The evaluator on policies whose decisions are known, and the intent on names."""
    deny = {"Effect": "Deny", "Action": ["ssm:GetParameter"],
            "NotResource": ["arn:aws:ssm:*:*:parameter/app/*"]}
    cases = [
        (CORE_V2["Statement"], "ssm:GetParameter", arn("aws", "us-east-1", ACCOUNT, "x"), True),
        (CORE_V2["Statement"], "ssm:GetParametersByPath", arn("aws", "us-east-1", ACCOUNT, "x"), False),
        (CORE_V2["Statement"], "ssm:GetParameterHistory", arn("aws", "us-east-1", ACCOUNT, "x"), False),
        (CORE_V2["Statement"] + [deny], "ssm:GetParameter", arn("aws", "us-east-1", ACCOUNT, "app/x"), True),
        (CORE_V2["Statement"] + [deny], "ssm:GetParameter", arn("aws", "us-east-1", ACCOUNT, "apps"), False),
        (CORE_V2["Statement"] + [deny], "ssm:GetParameter", arn("aws", "us-east-1", OTHER_ACCOUNT, "app/x"), True),
        (CORE_V2["Statement"] + [deny], "ssm:GetParameter", arn("aws", "us-east-1", OTHER_ACCOUNT, "app"), False),
        (CORE_V2["Statement"] + [deny], "ssm:getparameter", arn("aws", "us-east-1", ACCOUNT, "b"), False),
        (READ_ONLY["Statement"], "ssm:GetParametersByPath", arn("aws", "us-east-1", ACCOUNT, "x"), True),
        (CLOUDWATCH_AGENT_SSM["Statement"], "ssm:GetParameter",
         arn("aws", "us-east-1", ACCOUNT, "AmazonCloudWatch-x"), True),
        (CLOUDWATCH_AGENT_SSM["Statement"], "ssm:GetParameters",
         arn("aws", "us-east-1", ACCOUNT, "AmazonCloudWatch-x"), False),
        ([{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:*::parameter/aws/service/*"}],
         "ssm:GetParameter", arn("aws", "us-east-1", ACCOUNT, "aws/service/x"), False),
    ]
    failed = 0
    for statements, action, request, want in cases:
        if decision(statements, action, request) != want:
            print(f"self-test: {action} on {request} should be {'allowed' if want else 'denied'}", file=sys.stderr)
            failed += 1
    # Deny statements written by hand for `readable` below pass; each flaw is found.
    mine = f"arn:aws:ssm:*:{im.ACCOUNT}:parameter/"
    good_value = [mine + "app/prod/*", mine + "region", mine + "build-*", "arn:aws:ssm:*::parameter/aws/service/*"]
    good_path = [mine + "app/prod", mine + "app/prod/*", mine + "build-*", "arn:aws:ssm:*::parameter/aws/service",
                 "arn:aws:ssm:*::parameter/aws/service/*"]

    def denies(value, path):
        return [{"Effect": "Deny", "Action": VALUE_READS, "NotResource": value},
                {"Effect": "Deny", "Action": BY_PATH, "NotResource": path}]
    intent = Intent({"parameter_store": {"readable": ["/app/prod/*", "/region", "build-*"]}})
    for what, written, ok in [
        ("as meant", denies(good_value, good_path), True),
        ("an exact name readable by path", denies(good_value, good_path + [mine + "region"]), False),
        ("a parent path readable", denies(good_value, good_path + [mine + "app"]), False),
        ("one region", denies([v.replace(":*:$", ":us-east-1:$") for v in good_value], good_path), False),
        ("any account", denies([v.replace(im.ACCOUNT, "*") for v in good_value], good_path), False),
        ("any account by path", denies(good_value, [v.replace(im.ACCOUNT, "*") for v in good_path]), False),
        ("another account", denies([v.replace(im.ACCOUNT, OTHER_ACCOUNT) for v in good_value], good_path), False),
        ("no public parameters", denies(good_value[:-1], good_path), False),
        ("a prefix without its path", denies(good_value, good_path[1:]), False),
        ("a leading slash kept", denies([mine + "/region"] + good_value[:1] + good_value[2:], good_path), False),
    ]:
        found, _ = judge_role(CORE_V2["Statement"], written, intent, "aws")
        if (not found) != ok:
            print(f"self-test: Deny statements {what}: {'refused' if found else 'passed'}", file=sys.stderr)
            failed += 1

    for (resource, account, by_path), want in [
        (("app/prod/x", ACCOUNT, False), True), (("app/prod", ACCOUNT, False), False),
        (("region", ACCOUNT, False), True), (("region/x", ACCOUNT, False), False),
        (("build-7", ACCOUNT, False), True), (("app/prod/x", OTHER_ACCOUNT, False), False),
        (("app/prod", OTHER_ACCOUNT, True), False),
        (("app/other", OTHER_ACCOUNT, False), False),
        (("aws/service/x", "", False), True),
        (("app/prod", ACCOUNT, True), True), (("app", ACCOUNT, True), False), (("region", ACCOUNT, True), False),
        (("app/prod/x", ACCOUNT, True), True), (("build-7", ACCOUNT, True), True), (("aws/service", "", True), True),
    ]:
        got = (intent.path if by_path else intent.name)(resource, account)
        if got != want:
            print(f"self-test: intent {'path' if by_path else 'name'} {resource}@{account} should be {want}",
                  file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def main() -> int:
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "judge":
        cmd_judge(args[0], args[1], args[2:])
        return 0
    if cmd == "self-test":
        return self_test()
    sys.exit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    sys.exit(main())
