#!/usr/bin/env python3
"""Day two on the local AWS API (issue 21): deploying a fixture's next version over
its first deletes no named resource the next version still declares.

ENDPOINT SSM_PROFILE FIX CASE...: for each case (a fixture with next.yaml beside its
spec.yaml), both specs are built with `build --out-dir` under the same file name
(spec.yaml: the generated names follow it), then, in a moto account of the case's own:
- every CloudFormation stack of the first version is created (one per stack file, in
  file order, named after the file), then each stack of the next version is updated
  over it (created when new, in the documented order: stack-1 first), and the stacks
  the next version no longer has are deleted;
- each role, instance profile and customer managed policy the next version declares
  by name exists afterwards, and each one the first version declared too keeps the ID
  IAM gave it on the first deploy (RoleId, InstanceProfileId, PolicyId): a resource
  deleted and created again, which is what an instance loses its credentials to,
  gets a new ID;
- a rollout's StackSets keep their StackSetName per logical ID (it is create-only:
  a new name replaces the StackSet and every stack instance); each StackSet is
  created on moto and updated with the next template (UpdateStackSet keeps its
  StackSetId), and, since moto's UpdateStackSet does not redeploy stack instances,
  each instance is emulated as the stack it is in a member account: the first
  template created, the next one updated over it, judged as above.
Before the fixtures, a self-test proves the judge sees a replacement: a stack of
the first fixture's first role alone, updated with that role's logical ID renamed
(what a position-based ID did before issue 21), must be reported.

moto models neither AWS::CloudFormation::StackSet as a stack resource nor
AWS::SSM::ServiceSetting; what it cannot judge is said on stderr. Terraform is not
applied (no provider can be installed here); `impact` reads its ForceNew facts.

Prints PASS<TAB>case or FAIL<TAB>case<TAB>why (scripts/conformance records them as
the check `next-version`).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance_helpers import BASE_ENV, Aws, as_account, unmodelled_types, verdict  # noqa: E402

NAMES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
}


def build(ssm_profile, spec, where):
    """The --out-dir tree of `spec` copied to where/spec.yaml: {stack file stem: template text},
    and the rollout template's text (or None)."""
    where.mkdir(parents=True)
    shutil.copy(spec, where / "spec.yaml")
    p = subprocess.run([ssm_profile, "build", "spec.yaml", "--out-dir", "out", "--quiet"], cwd=where,
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise RuntimeError(f"build {spec.name}: exit {p.returncode}: {p.stderr.strip()[:300]}")
    stacks, rollout = {}, None
    for f in sorted((where / "out" / "cloudformation").glob("*.template.json")):
        stem = f.name[: -len(".template.json")]
        if stem.endswith(".rollout"):
            rollout = f.read_text()
        else:
            stacks[stem] = f.read_text()
    return stacks, rollout


def declared(templates):
    """{(type, name)} of every literally named IAM resource of the templates."""
    out = set()
    for text in templates:
        for r in json.loads(text).get("Resources", {}).values():
            key = NAMES.get(r.get("Type"))
            name = r.get("Properties", {}).get(key) if key else None
            if isinstance(name, str):
                out.add((r["Type"], name))
    return out


def ids(aws):
    """{(type, name): the ID IAM gave it} in the current account."""
    out = {}
    for r in aws("iam", "list-roles")["Roles"]:
        out[("AWS::IAM::Role", r["RoleName"])] = r["RoleId"]
    for p in aws("iam", "list-instance-profiles")["InstanceProfiles"]:
        out[("AWS::IAM::InstanceProfile", p["InstanceProfileName"])] = p["InstanceProfileId"]
    for p in aws("iam", "list-policies", "--scope", "Local")["Policies"]:
        out[("AWS::IAM::ManagedPolicy", p["PolicyName"])] = p["PolicyId"]
    return out


def stack_name(prefix, stem):
    return re.sub(r"[^A-Za-z0-9-]", "-", f"{prefix}-{stem}")[:128]


def settle(aws, stack, action):
    st = aws("cloudformation", "describe-stacks", "--stack-name", stack)["Stacks"][0]
    if st["StackStatus"] not in (f"{action}_COMPLETE",):
        ev = aws("cloudformation", "describe-stack-events", "--stack-name", stack).get("StackEvents", [])
        why = [f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}" for e in ev
               if e.get("ResourceStatus", "").endswith("FAILED")]
        raise RuntimeError(f"stack {stack} {st['StackStatus']}: {'; '.join(why) or st.get('StackStatusReason')}")


def deploy(aws, prefix, stacks, existing):
    """Creates or updates each stack of `stacks` ({stem: template}) in order, then deletes
    the stacks of `existing` (stems) it no longer has."""
    for stem, body in stacks.items():
        name = stack_name(prefix, stem)
        verb = "update-stack" if stem in existing else "create-stack"
        aws("cloudformation", verb, "--stack-name", name, "--template-body", body,
            "--capabilities", "CAPABILITY_NAMED_IAM")
        settle(aws, name, "UPDATE" if stem in existing else "CREATE")
    for stem in existing:
        if stem not in stacks:
            aws("cloudformation", "delete-stack", "--stack-name", stack_name(prefix, stem))


def day_two(aws, account, prefix, first, second):
    """Deploys `first` then `second` ({stem: template}) in `account`; the problems."""
    as_account(aws, account)
    deploy(aws, prefix, first, [])
    before = ids(aws)
    deploy(aws, prefix, second, list(first))
    after = ids(aws)
    problems = []
    kept = declared(first.values())
    for key in sorted(declared(second.values())):
        kind, name = key
        if key not in after:
            problems.append(f"{kind} {name}, which the next version declares, does not exist after its deploy")
        elif key in kept and before.get(key) != after[key]:
            problems.append(f"{kind} {name} was deleted and created again (ID {before.get(key)} became "
                            f"{after[key]}): instances using it lose it in between")
    return problems


def lone_role(template, suffix=""):
    """`template` reduced to its first role (what refers to it would dangle), the
    role's logical ID followed by `suffix`."""
    t = json.loads(template)
    lid = next(k for k, r in t["Resources"].items() if r["Type"] == "AWS::IAM::Role")
    t["Resources"] = {lid + suffix: t["Resources"][lid]}
    t.pop("Outputs", None)
    return json.dumps(t)


def stack_sets(rollout):
    """{logical ID: properties} of the rollout template's StackSets."""
    res = json.loads(rollout)["Resources"] if rollout else {}
    return {k: r["Properties"] for k, r in res.items() if r["Type"] == "AWS::CloudFormation::StackSet"}


def judge_rollout(aws, case, admin, member, first, second):
    problems = []
    old, new = stack_sets(first), stack_sets(second)
    for lid, p in new.items():
        if lid in old and old[lid]["StackSetName"] != p["StackSetName"]:
            problems.append(f"StackSet {lid} is renamed {old[lid]['StackSetName']} -> {p['StackSetName']}: "
                            f"StackSetName is create-only, so every stack instance is deleted and created again")
    for lid, p in old.items():
        if lid not in new:
            problems.append(f"StackSet {lid} ({p['StackSetName']}) is gone from the next version: its stacks "
                            f"are deleted in every account")
    for lid, p in new.items():
        if lid not in old or old[lid]["StackSetName"] != p["StackSetName"]:
            continue
        name = p["StackSetName"]
        as_account(aws, admin)
        # SELF_MANAGED: moto's service-managed StackSets need an organization, and the
        # permission model is not what is judged here (it does not change).
        aws("cloudformation", "create-stack-set", "--stack-set-name", name,
            "--template-body", old[lid]["TemplateBody"], "--capabilities", "CAPABILITY_NAMED_IAM")
        was = aws("cloudformation", "describe-stack-set", "--stack-set-name", name)["StackSet"]["StackSetId"]
        aws("cloudformation", "update-stack-set", "--stack-set-name", name,
            "--template-body", p["TemplateBody"], "--capabilities", "CAPABILITY_NAMED_IAM")
        got = aws("cloudformation", "describe-stack-set", "--stack-set-name", name)["StackSet"]
        if got["StackSetId"] != was or got["TemplateBody"] != p["TemplateBody"]:
            problems.append(f"StackSet {name} was not updated in place on moto")
        for typ in unmodelled_types(json.loads(p["TemplateBody"])):
            print(f"  {case}: note: moto has no CloudFormation model for {typ} (StackSet {name}): "
                  f"its update is not judged", file=sys.stderr)
        problems += [f"StackSet {name}'s stack in a member account: {x}" for x in
                     day_two(aws, member, f"StackSet-{name}", {"instance": old[lid]["TemplateBody"]},
                             {"instance": p["TemplateBody"]})]
        print(f"  {case}: StackSet {name}: updated in place; its stack instance emulated as a stack in "
              f"account {member} (moto's UpdateStackSet does not redeploy instances)", file=sys.stderr)
    return problems


def main():
    endpoint, fix, cases = sys.argv[1], Path(sys.argv[3]), sys.argv[4:]
    ssm_profile = os.path.abspath(sys.argv[2])
    aws = Aws(endpoint)
    os.environ.pop("AWS_PROFILE", None)
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    os.environ.update(BASE_ENV)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = {}
        for i, case in enumerate(cases):
            try:
                d = fix / case
                built[case] = (build(ssm_profile, d / "spec.yaml", tmp / case / "first"),
                               build(ssm_profile, d / "next.yaml", tmp / case / "next"))
            except Exception as e:
                verdict(case, [f"next-version: {e}"])
        if not built:
            return
        # The self-test: a renamed logical ID must be seen as a deletion.
        (first, _), _ = next(iter(built.values()))
        stem, body = next(iter(first.items()))
        try:
            found = day_two(aws, "300000000000", "selftest", {stem: lone_role(body)},
                            {stem: lone_role(body, "Moved")})
        except Exception as e:
            found = []
            print(f"  self-test: {e}", file=sys.stderr)
        if not any("deleted and created again" in p for p in found):
            verdict("self-test", ["a role whose logical ID changes is not reported as deleted and created "
                                  "again: the judge cannot see a replacement"])
            return
        verdict("self-test", [])
        for i, (case, ((s1, r1), (s2, r2))) in enumerate(built.items()):
            problems = []
            try:
                problems += day_two(aws, f"{300000000001 + i}", f"nv-{case}", s1, s2)
                if r1 or r2:
                    problems += judge_rollout(aws, case, f"{310000000001 + i}", f"{320000000001 + i}", r1, r2)
                print(f"  {case}: deployed {len(s1)} stack(s), then next.yaml's {len(s2)} over them; "
                      f"{len(declared(s2.values()))} named resource(s) checked", file=sys.stderr)
            except Exception as e:
                problems.append(f"next-version: {e}")
            verdict(case, problems)


if __name__ == "__main__":
    main()
