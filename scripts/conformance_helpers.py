#!/usr/bin/env python3
"""Helpers of scripts/conformance; each subcommand judges fixtures and prints one line
per fixture: "PASS<TAB>case" or "FAIL<TAB>case<TAB>reason" (details go to stderr).

  parliament ROOT CASE...            (parliament venv) every IAM policy document
  checkov REPORT.json ROOT CASE...   per-fixture verdict from one checkov JSON report
  deploy ENDPOINT ROOT CASE...       (moto venv) create stacks on moto, check IAM state; emulate
                                     the StackSets of cloudformation-rollout.json (deploy_rollout)
  tf-args PROVIDER_PKG ROOT CASE...  (hcl2 venv) terraform.tf (and terraform-rollout.tf) arguments
                                     vs provider bindings
  tf-args-module PROVIDER_PKG ROOT CASE...  the same for terraform-module/main.tf
  rollout-bodies OUT ROOT CASE...    write each StackSet's TemplateBody of cloudformation-rollout.json
                                     to OUT/CASE/<LogicalId>.json, for cfn-lint to judge as a template
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import iam_meaning as im  # noqa: E402

ACCOUNT = "123456789012"
REGION = "us-east-1"


def verdict(case, problems):
    if problems:
        for p in problems:
            print("\n".join(f"  {case}: {ln}" for ln in p.splitlines()), file=sys.stderr)
        print(f"FAIL\t{case}\t{problems[0].splitlines()[0]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""))
    else:
        print(f"PASS\t{case}")
    sys.stdout.flush()


def fixture_partition(d: Path) -> str:
    """The spec's `partition:` if it names one, else the partition of literal ARNs, else aws."""
    for spec in (d / "spec.yaml", d / "spec.json"):
        if spec.is_file():
            m = re.search(r'"?partition"?\s*:\s*"?(aws(?:-[a-z]+)*)\b', spec.read_text())
            if m:
                return m.group(1)
    texts = [p.read_text() for p in sorted(d.iterdir()) if p.is_file() and p.suffix in (".json", ".yaml", ".tf")]
    return im.guess_partition(*texts)


# ------------------------------------------------------------------ cross-target meaning
def cmd_meaning(root, out, cases):
    """Reduce every target output of each case to its IAM meaning; all must be equal.
    Inputs: ROOT/<case>/{cloudformation.json,terraform.tf,terraform.tf.json} and CDK
    synth output OUT/cdk/<case>/*.template.json (written by the CDK hook); for a case
    with a rollout, also ROOT/<case>/{cloudformation-rollout.json,terraform-rollout.tf,
    terraform-rollout.tf.json} and OUT/cdk-rollout/<case>/*.template.json, and the
    StackSets' templates against cloudformation.json (`rollout_body_problems`)."""
    for case in cases:
        d = Path(root) / case
        files = [d / n for n in ("cloudformation.json", "terraform.tf", "terraform.tf.json") if (d / n).is_file()]
        files += sorted((Path(out) / "cdk" / case).glob("*.template.json"))
        rollout = [d / n for n in ("cloudformation-rollout.json", "terraform-rollout.tf", "terraform-rollout.tf.json")
                   if (d / n).is_file()]
        rollout += sorted((Path(out) / "cdk-rollout" / case).glob("*.template.json"))
        problems = []
        try:
            part = fixture_partition(d)
            texts = same_meaning(files, part, problems, trust=True)
            (Path(out) / "meaning").mkdir(parents=True, exist_ok=True)
            if texts:
                (Path(out) / "meaning" / f"{case}.json").write_text(texts[files[0]])
            if rollout:
                same_meaning(rollout, part, problems)
                if (d / "cloudformation.json").is_file() and rollout[0].name == "cloudformation-rollout.json":
                    problems += rollout_body_problems(d / "cloudformation.json", rollout[0], part)
            print(f"  {case}: compared {', '.join(f.name for f in files)}"
                  f"{'; ' + ', '.join(f.name for f in rollout) if rollout else ''} (partition {part})", file=sys.stderr)
        except Exception as e:
            problems.append(f"{type(e).__name__}: {e}")
        verdict(case, problems)


def same_meaning(files, part, problems, trust=False):
    """The meaning of each file (JSON text); a problem for each that differs from the first's."""
    texts = {}
    for f in files:
        try:
            texts[f] = json.dumps(im.meaning(f, part), indent=2, sort_keys=True) + "\n"
        except im.MeaningError as e:
            problems.append(f"cannot reduce {f.name}: {e}")
    if trust:
        for f in files:
            if f in texts:
                problems += [f"{f.name}: {p}" for p in profile_trust_problems(json.loads(texts[f]), part)]
    if texts and files[0] in texts:
        base = files[0]
        for f in files[1:]:
            if f in texts and texts[f] != texts[base]:
                diff = "".join(__import__("difflib").unified_diff(
                    texts[base].splitlines(True), texts[f].splitlines(True), base.name, f.name, n=2))
                problems.append(f"IAM meaning of {f.name} differs from {base.name}:\n{diff}")
    return texts


def rollout_body_problems(template, rollout, part):
    """The StackSets deploy cloudformation.json in two halves: the IAM StackSet every
    role, policy, instance profile and output of it, and no setting; the other the
    service settings alone, with no IAM resource."""
    whole = im.meaning(template, part)
    sets = im.meaning(rollout, part)["stack_sets"]
    iam = [s["template"] for s in sets.values() if s["template"]["roles"]]
    settings = [s["template"] for s in sets.values() if s["template"]["service_settings"]]
    problems = []
    if len(iam) != 1:
        return [f"{rollout.name}: {len(iam)} StackSets hold roles, expected 1"]
    for key in ("roles", "policies", "instance_profiles", "outputs"):
        if iam[0][key] != whole[key]:
            problems.append(f"{rollout.name}: the IAM StackSet's template differs from {template.name} in {key}")
    if iam[0]["service_settings"]:
        problems.append(f"{rollout.name}: the IAM StackSet's template holds a service setting")
    want = {k: v["value"] for k, v in whole["service_settings"].items()}
    got = {k: v["value"] for t in settings for k, v in t["service_settings"].items()}
    if got != want:
        problems.append(f"{rollout.name}: the StackSets set {got}, {template.name} sets {want}")
    for t in settings:
        if t["roles"] or t["policies"] or t["instance_profiles"]:
            problems.append(f"{rollout.name}: the setting's StackSet holds IAM resources")
    return problems


EC2_PRINCIPALS = {"aws": {"ec2.amazonaws.com"}, "aws-us-gov": {"ec2.amazonaws.com"},
                  # sources conflict for China (docs/sources.md 3): accept either
                  "aws-cn": {"ec2.amazonaws.com.cn", "ec2.amazonaws.com"},
                  "aws-eusc": {"ec2.amazonaws.com", "ec2.amazonaws.eu"}}


def profile_trust_problems(meaning: dict, partition: str) -> list:
    """Every role an instance profile holds must let EC2 assume it (moto does not check)."""
    ok = EC2_PRINCIPALS.get(partition, {"ec2.amazonaws.com"})
    out = []
    for prof, p in meaning["instance_profiles"].items():
        role = meaning["roles"].get(p["role"])
        if role is None or role["external"]:
            continue  # an existing role's trust is not in the template
        if not any(st.get("Effect") == "Allow" and "sts:AssumeRole" in st.get("Action", [])
                   and ok & set(st.get("Principal", {}).get("Service", [])) and "Condition" not in st
                   for st in role["trust"]):
            out.append(f"instance profile {prof}: role {p['role']} does not let EC2 ({' or '.join(sorted(ok))}) "
                       f"sts:AssumeRole; trust is {json.dumps(role['trust'])}")
    return out


# ------------------------------------------------------------------ yaml == json
def cmd_yaml_json(root, cases):
    """cloudformation.yaml must mean the same template as cloudformation.json
    (decoded by cfn-lint's own decoder, which understands short-form tags), and so
    must cloudformation-rollout.yaml and .json."""
    from cfnlint.decode import decode
    for case in cases:
        d = Path(root) / case
        problems = []
        for stem in ("cloudformation", "cloudformation-rollout"):
            if not (d / f"{stem}.json").is_file():
                continue
            y, errs = decode(str(d / f"{stem}.yaml"))
            if errs:
                problems += [f"{stem}.yaml: {e}" for e in errs]
            else:
                j = json.loads((d / f"{stem}.json").read_text())
                if json.loads(json.dumps(y)) != j:
                    problems.append(f"{stem}.yaml and {stem}.json decode to different templates")
        verdict(case, problems)


def cmd_rollout_bodies(out, root, cases):
    for case in cases:
        t = json.loads((Path(root) / case / "cloudformation-rollout.json").read_text())
        (Path(out) / case).mkdir(parents=True, exist_ok=True)
        for lid, x in t.get("Resources", {}).items():
            if x.get("Type") == "AWS::CloudFormation::StackSet":
                body = json.loads(x["Properties"]["TemplateBody"])
                (Path(out) / case / f"{lid}.json").write_text(json.dumps(body, indent=2) + "\n")


def cfn_policies(template: dict, partition: str):
    """(where, resolved policy document, is_trust) of every IAM policy in a template."""
    r = im.CfnResolver(template, partition, account=ACCOUNT, region=REGION)
    for lid, x in template.get("Resources", {}).items():
        p, t = x.get("Properties", {}), x.get("Type")
        if t == "AWS::IAM::Role":
            yield f"{lid}.AssumeRolePolicyDocument", r.v(p["AssumeRolePolicyDocument"]), True
            for i, pol in enumerate(im.as_list(p.get("Policies"))):
                yield f"{lid}.Policies[{i}]", r.v(pol["PolicyDocument"]), False
        elif t in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            yield f"{lid}.PolicyDocument", r.v(p["PolicyDocument"]), False


# ------------------------------------------------------------------ parliament
PARLIAMENT_PARTITIONS = {"aws", "aws-cn", "aws-us-gov"}

def cmd_parliament(root, cases):
    import parliament
    from parliament.cli import is_finding_filtered
    n_trust = 0
    for case in cases:
        d = Path(root) / case
        problems, n = [], 0
        try:
            t = json.loads((d / "cloudformation.json").read_text())
            for where, doc, trust in cfn_policies(t, fixture_partition(d)):
                if trust:
                    # parliament 1.6.4 has no trust-policy mode: it reports every trust
                    # policy as "Malformed: neither Resource nor NotResource". cfn-lint
                    # checks trust-policy grammar instead.
                    n_trust += 1
                    continue
                n += 1
                text = json.dumps(doc)
                partition = fixture_partition(d)
                if partition not in PARLIAMENT_PARTITIONS:
                    # parliament 1.6.4 knows only these partitions and reports every
                    # other ARN as "Unexpected partition"; the actions and resource
                    # types it judges are the same, so it reads the ARNs as aws ones.
                    text = text.replace(f'"arn:{partition}:', '"arn:aws:')
                pol = parliament.analyze_policy_string(text, filepath=where)
                for f in pol.findings:
                    f = parliament.enhance_finding(f)
                    if not is_finding_filtered(f, "LOW"):
                        problems.append(f"parliament {f.severity} {f.title} in {where}: {f.detail} {f.location}")
            if n == 0:
                print(f"  {case}: note: no custom policy document to lint", file=sys.stderr)
        except Exception as e:
            problems.append(f"cannot extract policies: {type(e).__name__}: {e}")
        verdict(case, problems)
    print(f"  (parliament: {n_trust} trust policies left to cfn-lint)", file=sys.stderr)


# ------------------------------------------------------------------ checkov
def read_skips(path: Path):
    skips = {}
    if path.is_file():
        for ln in path.read_text().splitlines():
            if not ln.strip() or ln.lstrip().startswith("#"):
                continue
            parts = ln.split(None, 1)
            if len(parts) < 2 or not re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", parts[0]):
                raise ValueError(f"{path}: expected 'CHECK_ID reason', got {ln!r}")
            skips[parts[0]] = parts[1]
    return skips


def cmd_checkov(report, root, cases):
    """checkov ran once over ROOT/<case>/<file> for all cases; split its verdicts by case."""
    text = Path(report).read_text()
    data = json.loads(text) if text.strip() else {}
    reports = data if isinstance(data, list) else [data]
    failed = []
    parse_errors = 0
    for rep in reports:
        failed += rep.get("results", {}).get("failed_checks", [])
        parse_errors += rep.get("summary", {}).get("parsing_errors", 0)
    for case in cases:
        d = (Path(root) / case).resolve()
        problems = []
        try:
            skips = read_skips(d / "checkov-skip.txt")
        except ValueError as e:
            skips, problems = {}, [str(e)]
        used = set()
        for c in failed:
            p = Path(c.get("file_abs_path") or c["file_path"]).resolve()
            if p.parent.name != case:  # reports name ROOT/<case>/<file>
                continue
            if c["check_id"] in skips:
                used.add(c["check_id"])
                continue
            problems.append(f"checkov {c['check_id']} ({c['check_name']}) failed on {c['resource']} in {p.name}")
        for cid in sorted(set(skips) - used):
            problems.append(f"checkov-skip.txt skips {cid} but checkov does not report it: drop the skip")
        if parse_errors:
            problems.append(f"checkov reported {parse_errors} parsing error(s) in this run")
        verdict(case, problems)


# ------------------------------------------------------------------ deploy (moto)
class Aws:
    """The real aws CLI (awscli 1.x), driven in-process to save ~0.4 s per call."""

    def __init__(self, endpoint):
        from awscli.clidriver import create_clidriver
        self.create, self.endpoint, self.driver = create_clidriver, endpoint, None

    def new_credentials(self):
        """Call after changing AWS_* credentials in os.environ: the driver caches them."""
        self.driver = None

    def __call__(self, *args, check=True):
        out, err = io.StringIO(), io.StringIO()
        self.driver = self.driver or self.create()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            # No read timeout: a call that times out on a loaded machine is retried, and the
            # retry of a create that moto had already done fails "already exists".
            rc = self.driver.main(["--endpoint-url", self.endpoint, "--output", "json",
                                   "--cli-read-timeout", "0", *args])
        if check and rc != 0:
            raise RuntimeError(f"aws {' '.join(args[:2])} failed (rc {rc}): {err.getvalue().strip()}")
        return json.loads(out.getvalue()) if out.getvalue().strip() else {}


def expected_state(t: dict, partition: str):
    """From the template: created roles, external roles, {profile: role},
    {role: {custom policy names}}."""
    r = im.CfnResolver(t, partition, account="${ACCOUNT}")
    created, external, profiles, policies = set(), set(), {}, {}
    res = t.get("Resources", {})
    for lid, x in res.items():
        if x.get("Type") == "AWS::IAM::Role":
            name = r.ref(lid)
            if name.startswith("<generated:"):
                raise ValueError(f"role {lid} has no literal RoleName")
            created.add(name)
    for lid, x in res.items():
        p = x.get("Properties", {})
        if x.get("Type") == "AWS::IAM::InstanceProfile":
            profiles[r.ref(lid)] = r.v(p["Roles"])[0]
        elif x.get("Type") == "AWS::IAM::ManagedPolicy":
            name = r.v(p.get("ManagedPolicyName"))
            for role in r.v(im.as_list(p.get("Roles"))):
                policies.setdefault(role, set()).add(name)
                if role not in created:
                    external.add(role)
    return created, external, profiles, policies


def unmodelled_types(template: dict) -> list:
    """Resource types of `template` that moto's CloudFormation ignores (it logs a warning
    and completes the stack): moto 5.2.5 models neither AWS::SSM::ServiceSetting nor
    AWS::CloudFormation::StackSet."""
    from moto.cloudformation.parsing import get_model_map
    known = get_model_map()
    return sorted({x.get("Type") for x in template.get("Resources", {}).values()} - set(known))


BASE_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


def as_account(aws, account):
    """Switch the CLI to `account` on moto (which lets any credentials assume any role)."""
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.update(BASE_ENV)
    aws.new_credentials()
    c = aws("sts", "assume-role", "--role-arn", f"arn:aws:iam::{account}:role/conformance",
            "--role-session-name", "conformance")["Credentials"]
    os.environ.update(AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                      AWS_SESSION_TOKEN=c["SessionToken"])
    aws.new_credentials()
    if aws("sts", "get-caller-identity")["Account"] != account:
        raise RuntimeError(f"moto did not switch to account {account}")


def cmd_deploy(endpoint, root, cases):
    aws = Aws(endpoint)
    os.environ.pop("AWS_PROFILE", None)
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    for i, case in enumerate(cases):
        d = Path(root) / case
        problems = []
        try:
            # one moto account per fixture, so names never collide between fixtures
            account = f"{100000000000 + i + 1}"
            as_account(aws, account)
            tpath = d / "cloudformation.json"
            t = json.loads(tpath.read_text())
            created, external, profiles, policies = expected_state(t, fixture_partition(d))
            for role in sorted(external):
                aws("iam", "create-role", "--role-name", role, "--assume-role-policy-document",
                    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                        "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
            stack = "conformance-" + re.sub(r"[^A-Za-z0-9-]", "-", case)
            aws("cloudformation", "create-stack", "--stack-name", stack, "--template-body", tpath.read_text(),
                "--capabilities", "CAPABILITY_NAMED_IAM")
            aws("cloudformation", "wait", "stack-create-complete", "--stack-name", stack, check=False)
            st = aws("cloudformation", "describe-stacks", "--stack-name", stack)["Stacks"][0]
            if st["StackStatus"] != "CREATE_COMPLETE":
                ev = aws("cloudformation", "describe-stack-events", "--stack-name", stack).get("StackEvents", [])
                why = [f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}" for e in ev
                       if e.get("ResourceStatus", "").endswith("FAILED")]
                raise RuntimeError(f"stack {st['StackStatus']}: {'; '.join(why) or st.get('StackStatusReason')}")
            for prof, role in sorted(profiles.items()):
                ip = aws("iam", "get-instance-profile", "--instance-profile-name", prof)["InstanceProfile"]
                got = [x["RoleName"] for x in ip.get("Roles", [])]
                if got != [role]:
                    problems.append(f"deploy: instance profile {prof} holds {got}, expected [{role}]")
            for role in sorted(created | external):
                att = aws("iam", "list-attached-role-policies", "--role-name", role)["AttachedPolicies"]
                got = {x["PolicyName"] for x in att}
                # moto ignores ManagedPolicyArns on AWS::IAM::Role: only custom policies show.
                missing = policies.get(role, set()) - got
                if missing:
                    problems.append(f"deploy: role {role} lacks attached policies {sorted(missing)} (has {sorted(got)})")
            print(f"  {case}: deployed stack {stack} in account {account}: {len(profiles)} profile(s), "
                  f"{len(created)} role(s), {len(external)} existing role(s)", file=sys.stderr)
            for typ in unmodelled_types(t):
                # moto creates the stack without them: say so, never pass them silently
                print(f"  {case}: note: moto has no CloudFormation model for {typ}; the deploy does not judge it "
                      f"(cfn-lint, checkov and the CDK synth comparison do)", file=sys.stderr)
            if (d / "cloudformation-rollout.json").is_file():
                # a management account of its own: the profile stack above is not the rollout's
                problems += deploy_rollout(aws, case, d, f"{200000000000 + i + 1}")
        except Exception as e:
            problems.append(f"deploy: {e}")
        verdict(case, problems)


def deploy_rollout(aws, case, d, management):
    """Emulate the rollout's StackSets on moto, which models no AWS::CloudFormation::StackSet
    resource but implements the StackSets API with service-managed stack instances: an
    organization with an OU (and a member account in it) for every OU of the rollout,
    then each StackSet resource, in DependsOn order, as CreateStackSet and
    CreateStackInstances with its own properties (the fixture's OU IDs mapped to
    moto's). Every member account must then hold the IAM StackSet's roles and instance
    profiles, and the management account none of them."""
    problems = []
    partition = fixture_partition(d)
    t = json.loads((d / "cloudformation-rollout.json").read_text())
    as_account(aws, management)
    aws("organizations", "create-organization", "--feature-set", "ALL")
    root = aws("organizations", "list-roots")["Roots"][0]["Id"]
    sets = t["Resources"]
    order = sorted(sets, key=lambda lid: len(im.as_list(sets[lid].get("DependsOn"))))
    ous, members = {}, {}
    for lid in order:
        for group in sets[lid]["Properties"]["StackInstancesGroup"]:
            for ou in group["DeploymentTargets"]["OrganizationalUnitIds"]:
                if ou in ous:
                    continue
                n = len(ous)
                if ou.startswith("r-"):
                    ous[ou] = root
                else:
                    ous[ou] = aws("organizations", "create-organizational-unit", "--parent-id", root,
                                  "--name", f"ou{n}")["OrganizationalUnit"]["Id"]
                acct = aws("organizations", "create-account", "--email", f"member{n}@example.com",
                           "--account-name", f"member{n}")["CreateAccountStatus"]["AccountId"]
                if ous[ou] != root:
                    aws("organizations", "move-account", "--account-id", acct, "--source-parent-id", root,
                        "--destination-parent-id", ous[ou])
                members[ou] = acct
    roots = [ou for ou in ous if ou.startswith("r-")]
    for lid in order:
        p = sets[lid]["Properties"]
        args = ["cloudformation", "create-stack-set", "--stack-set-name", p["StackSetName"],
                "--description", p["Description"], "--template-body", p["TemplateBody"],
                "--permission-model", p["PermissionModel"],
                "--auto-deployment", json.dumps(p["AutoDeployment"])]
        if p.get("Capabilities"):
            args += ["--capabilities", *p["Capabilities"]]
        if p.get("CallAs"):
            args += ["--call-as", p["CallAs"]]
        aws(*args)
        for group in p["StackInstancesGroup"]:
            targets = [ous[ou] for ou in group["DeploymentTargets"]["OrganizationalUnitIds"]]
            aws("cloudformation", "create-stack-instances", "--stack-set-name", p["StackSetName"],
                "--deployment-targets", json.dumps({"OrganizationalUnitIds": targets}),
                "--regions", *group["Regions"],
                "--operation-preferences", json.dumps(p["OperationPreferences"]))
        got = aws("cloudformation", "list-stack-instances", "--stack-set-name", p["StackSetName"])["Summaries"]
        where = {(x["Account"], x["Region"]) for x in got}
        for group in p["StackInstancesGroup"]:
            for ou in group["DeploymentTargets"]["OrganizationalUnitIds"]:
                for region in group["Regions"]:
                    if (members[ou], region) not in where:
                        problems.append(f"deploy: StackSet {p['StackSetName']} has no stack in account "
                                        f"{members[ou]} (of {ou}), {region}")
        body = json.loads(p["TemplateBody"])
        for typ in unmodelled_types(body):
            print(f"  {case}: note: moto has no CloudFormation model for {typ} (StackSet {p['StackSetName']}); "
                  f"the deploy does not judge it (cfn-lint, checkov and the CDK synth comparison do)", file=sys.stderr)
        created, _external, profiles, _policies = expected_state(body, partition)
        for ou, acct in members.items():
            as_account(aws, acct)
            roles = {r["RoleName"] for r in aws("iam", "list-roles")["Roles"]}
            ips = {x["InstanceProfileName"]: [r["RoleName"] for r in x.get("Roles", [])]
                   for x in aws("iam", "list-instance-profiles")["InstanceProfiles"]}
            for role in sorted(created - roles):
                problems.append(f"deploy: member account {acct} (of {ou}) lacks role {role}")
            for prof, role in sorted(profiles.items()):
                if ips.get(prof) != [role]:
                    problems.append(f"deploy: member account {acct} (of {ou}): instance profile {prof} holds "
                                    f"{ips.get(prof)}, expected [{role}]")
        as_account(aws, management)
        if created:
            roles = {r["RoleName"] for r in aws("iam", "list-roles")["Roles"]}
            if roots:
                # moto deploys a root-targeted service-managed StackSet to the management
                # account too; AWS never does (docs/rollout.md)
                print(f"  {case}: note: moto deploys StackSet {p['StackSetName']}, which targets the root "
                      f"{', '.join(roots)}, to the management account too, which AWS never does; the deploy "
                      f"does not judge the management account there", file=sys.stderr)
            elif created & roles:
                problems.append(f"deploy: the management account {management} holds {sorted(created & roles)}: "
                                f"a service-managed StackSet deployed there")
        print(f"  {case}: emulated StackSet {p['StackSetName']} on moto: {len(got)} stack instance(s) in "
              f"{len(members)} member account(s), regions {', '.join(sorted({x['Region'] for x in got}))}",
              file=sys.stderr)
    return problems


# ------------------------------------------------------------------ terraform arguments
META_ARGS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}


class ProviderSchema:
    """Argument names (snake_case) and requiredness from @cdktf/provider-aws bindings."""

    def __init__(self, pkg: Path):
        self.lib = Path(pkg) / "lib"
        self.cache = {}

    def _dir(self, kind, typ):
        stem = typ[len("aws_"):].replace("_", "-")
        cand = self.lib / (("data-aws-" if kind == "data" else "") + stem)
        js = cand / "index.js"
        if js.is_file() and f'.tfResourceType = "{typ}";' in js.read_text():
            return cand
        return None

    def schema(self, kind, typ):
        key = (kind, typ)
        if key not in self.cache:
            d = self._dir(kind, typ)
            self.cache[key] = self._parse(d) if d else None
        return self.cache[key]

    @staticmethod
    def _parse(d: Path):
        text = (d / "index.d.ts").read_text()
        ifaces = {}
        for m in re.finditer(r"export interface (\w+)(?: extends [\w.]+)? \{(.*?)\n\}", text, re.S):
            members = {}
            for mm in re.finditer(r"#(\w+) [\w#]+\}(?:(?!readonly).)*?\*/\s*readonly (\w+)(\??): ([^;]+);", m.group(2), re.S):
                snake, _camel, opt, typ = mm.groups()
                members[snake] = {"required": opt != "?", "type": typ}
            ifaces[m.group(1)] = members
        # the main config interface: the one the class constructor takes
        config = re.search(r"constructor\(scope: Construct, id: string, config\??: (\w+)\)", text).group(1)

        def build(name, seen=()):
            out = {}
            for snake, info in ifaces.get(name, {}).items():
                ref = re.match(r"(\w+)(\[\])?( \| cdktf\.IResolvable)?$", info["type"].strip())
                block = None
                if ref and ref.group(1) in ifaces and ref.group(1) not in seen:
                    block = build(ref.group(1), seen + (name,))
                out[snake] = {"required": info["required"], "block": block}
            return out
        return build(config)


def check_body(schema, body, where):
    problems = []
    for k, v in body.items():
        if k.startswith("__") or k in META_ARGS:
            continue
        if k not in schema:
            if k == "timeouts":
                continue
            problems.append(f"unknown argument {k} in {where}")
            continue
        sub = schema[k]["block"]
        if sub is not None:
            for i, b in enumerate(im.as_list(v)):
                if isinstance(b, dict):
                    problems += check_body(sub, b, f"{where}.{k}[{i}]")
    for k, info in schema.items():
        if info["required"] and k not in body:
            problems.append(f"missing required argument {k} in {where}")
    return problems


def cmd_tf_args(pkg, root, cases, file="terraform.tf"):
    ps = ProviderSchema(Path(pkg))
    # the rollout is judged with the configuration it sits beside
    files = [file, "terraform-rollout.tf"] if file == "terraform.tf" else [file]
    for case in cases:
        problems = []
        for name in files:
            path = Path(root) / case / name
            if name != file and not path.is_file():
                continue
            try:
                doc = im._hcl_loads(path.read_text())
                for kind in ("resource", "data"):
                    for typ, rname, body in im._tf_blocks(doc, kind):
                        if not typ.startswith("aws_"):
                            continue
                        where = f"{'data.' if kind == 'data' else ''}{typ}.{rname}"
                        if name != file:
                            where = f"{name}: {where}"
                        sch = ps.schema(kind, typ)
                        if sch is None:
                            problems.append(f"unknown {kind} type {typ} ({where})")
                            continue
                        problems += check_body(sch, body, where)
            except Exception as e:
                problems.append(f"cannot read {name}: {type(e).__name__}: {e}")
        verdict(case, problems)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "parliament":
        cmd_parliament(args[0], args[1:])
    elif cmd == "checkov":
        cmd_checkov(args[0], args[1], args[2:])
    elif cmd == "deploy":
        cmd_deploy(args[0], args[1], args[2:])
    elif cmd == "tf-args":
        cmd_tf_args(args[0], args[1], args[2:])
    elif cmd == "tf-args-module":  # the module layout's main.tf
        cmd_tf_args(args[0], args[1], args[2:], "terraform-module/main.tf")
    elif cmd == "meaning":
        cmd_meaning(args[0], args[1], args[2:])
    elif cmd == "yaml-json":
        cmd_yaml_json(args[0], args[1:])
    elif cmd == "rollout-bodies":
        cmd_rollout_bodies(args[0], args[1], args[2:])
    elif cmd == "tf-schema":  # debugging aid: print one type's schema
        print(json.dumps(ProviderSchema(Path(args[0])).schema(args[1], args[2]), indent=1))
    else:
        sys.exit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    main()
