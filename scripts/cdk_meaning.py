#!/usr/bin/env python3
"""Compare the IAM meaning of a CDK-synthesized template with our CloudFormation output.

    cdk_meaning.py CLOUDFORMATION_JSON SYNTHESIZED_JSON   exit 0 if equal, 1 with a diff
    cdk_meaning.py --show TEMPLATE_JSON [PARTITION]       print the meaning

The meaning is what IAM ends up holding, keyed by names, not logical IDs:
  roles {RoleName: path, description, trust document, managed policy ARNs (sorted),
         permissions boundary, max session duration, tags}
  policies {ManagedPolicyName: path, description, document, roles (sorted)}
  instance_profiles {InstanceProfileName: path, roles}
  outputs {key: description, value}, and the template description.
Intrinsics are resolved: Ref/GetAtt of a resource become its IAM name (or "<Arn of
TYPE NAME>"), AWS::Partition becomes the partition the CloudFormation template's ARNs
use, AWS::AccountId/AWS::Region stay symbolic, Fn::Join/Fn::Sub are evaluated.
Dropped: CDK's BootstrapVersion parameter and CheckBootstrapVersion rule, CDKMetadata,
resource Metadata. An empty description equals none; an absent path is "/"; a single
Action/Resource/Service equals a list of one, and those lists are compared as sets.
Statement order and Sids are kept: the generated code promises both.

Standard library only, so any python3 can run it.
"""

from __future__ import annotations

import difflib
import json
import re
import sys

NAME_PROPERTY = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
}
IGNORED_TYPES = {"AWS::CDK::Metadata"}
ARN_PARTITION = re.compile(r"arn:(aws[a-z-]*):")


class MeaningError(Exception):
    pass


def partition_of(template: dict) -> str | None:
    """The one partition the literal ARNs of a template name, or None if none does."""
    found = set(ARN_PARTITION.findall(json.dumps(template)))
    if len(found) > 1:
        raise MeaningError(f"the template names several partitions: {sorted(found)}")
    return found.pop() if found else None


class Resolver:
    def __init__(self, template: dict, partition: str | None):
        self.resources = template.get("Resources", {})
        self.partition = partition

    def name_of(self, logical_id: str) -> tuple[str, str]:
        res = self.resources.get(logical_id)
        if res is None:
            raise MeaningError(f"reference to unknown resource {logical_id}")
        rtype = res["Type"]
        prop = NAME_PROPERTY.get(rtype)
        name = res.get("Properties", {}).get(prop) if prop else None
        if name is None:
            raise MeaningError(f"{logical_id} ({rtype}) has no explicit name to compare by")
        return rtype, self.resolve(name)

    def pseudo(self, name: str) -> str:
        if name == "AWS::Partition":
            if self.partition is None:
                raise MeaningError("AWS::Partition is used but the partition is unknown")
            return self.partition
        if name in ("AWS::AccountId", "AWS::Region", "AWS::URLSuffix"):
            return "${" + name + "}"
        raise MeaningError(f"unexpected pseudo parameter {name}")

    def resolve(self, v):
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (key, arg), = v.items()
            if key == "Ref":
                if arg.startswith("AWS::"):
                    return self.pseudo(arg)
                rtype, name = self.name_of(arg)
                # Ref of a role or instance profile is its name; of a policy, its ARN.
                return f"<Arn of {rtype} {name}>" if rtype == "AWS::IAM::ManagedPolicy" else name
            if key == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                rtype, name = self.name_of(logical_id)
                return f"<{attribute} of {rtype} {name}>"
            if key == "Fn::Join":
                sep, parts = arg
                parts = [self.resolve(p) for p in parts]
                if not all(isinstance(p, str) for p in parts):
                    raise MeaningError(f"cannot join {parts!r}")
                return sep.join(parts)
            if key == "Fn::Sub":
                if not isinstance(arg, str):
                    raise MeaningError("Fn::Sub with a variable map is not expected")

                def sub(m):
                    inner = m.group(1)
                    if inner.startswith("!"):
                        return "${" + inner[1:] + "}"
                    if inner.startswith("AWS::"):
                        return self.pseudo(inner)
                    raise MeaningError(f"Fn::Sub of ${{{inner}}} is not expected")

                return re.sub(r"\$\{([^}]*)\}", sub, arg)
            if key.startswith("Fn::"):
                raise MeaningError(f"unexpected intrinsic {key}")
        return {k: self.resolve(x) for k, x in v.items()}


def as_set(v) -> list:
    return sorted(v if isinstance(v, list) else [v])


def norm_document(doc: dict) -> dict:
    statements = doc.get("Statement", [])
    out = []
    for st in statements if isinstance(statements, list) else [statements]:
        s = {}
        for k, v in st.items():
            if k in ("Action", "NotAction", "Resource", "NotResource"):
                s[k] = as_set(v)
            elif k == "Principal" and isinstance(v, dict):
                s[k] = {pk: as_set(pv) for pk, pv in v.items()}
            else:
                s[k] = v
        out.append(s)
    return {"Version": doc.get("Version"), "Statement": out}


def meaning(template: dict, partition: str | None) -> dict:
    r = Resolver(template, partition)
    roles, policies, profiles, unknown = {}, {}, {}, []
    for logical_id, res in template.get("Resources", {}).items():
        rtype = res.get("Type")
        props = r.resolve(res.get("Properties", {}))
        if rtype in IGNORED_TYPES:
            continue
        if rtype == "AWS::IAM::Role":
            roles[props["RoleName"]] = {
                "Path": props.get("Path", "/"),
                "Description": props.get("Description") or None,
                "Trust": norm_document(props["AssumeRolePolicyDocument"]),
                "ManagedPolicyArns": sorted(props.get("ManagedPolicyArns", [])),
                "PermissionsBoundary": props.get("PermissionsBoundary"),
                "MaxSessionDuration": props.get("MaxSessionDuration", 3600),
                "Tags": sorted((t["Key"], t["Value"]) for t in props.get("Tags", [])),
                "Policies": props.get("Policies", []),
            }
        elif rtype == "AWS::IAM::ManagedPolicy":
            policies[props["ManagedPolicyName"]] = {
                "Path": props.get("Path", "/"),
                "Description": props.get("Description") or None,
                "Document": norm_document(props["PolicyDocument"]),
                "Roles": sorted(props.get("Roles", [])),
                "Groups": sorted(props.get("Groups", [])),
                "Users": sorted(props.get("Users", [])),
            }
        elif rtype == "AWS::IAM::InstanceProfile":
            profiles[props["InstanceProfileName"]] = {
                "Path": props.get("Path", "/"),
                "Roles": sorted(props["Roles"]),
            }
        else:
            unknown.append(f"{logical_id} ({rtype})")
    outputs = {
        k: {"Description": o.get("Description"), "Value": r.resolve(o["Value"])}
        for k, o in template.get("Outputs", {}).items()
    }
    parameters = {k: v for k, v in template.get("Parameters", {}).items() if k != "BootstrapVersion"}
    rules = {k: v for k, v in template.get("Rules", {}).items() if k != "CheckBootstrapVersion"}
    return {
        "Description": template.get("Description"),
        "roles": roles,
        "policies": policies,
        "instance_profiles": profiles,
        "outputs": outputs,
        "other": {"resources": sorted(unknown), "parameters": parameters, "rules": rules,
                  "conditions": template.get("Conditions", {})},
    }


def dump(m: dict) -> str:
    return json.dumps(m, indent=1, sort_keys=True, ensure_ascii=False)


def compare(cfn: dict, synthesized: dict) -> str | None:
    """None when both templates mean the same; otherwise a unified diff."""
    partition = partition_of(cfn)
    a, b = dump(meaning(cfn, partition)), dump(meaning(synthesized, partition))
    if a == b:
        return None
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                        "cloudformation", "cdk synth"))


def mutants(synthesized: dict):
    """Templates that differ from `synthesized` in IAM meaning, one change each, to
    show that `compare` would notice: a principal, a grant, a trust condition."""
    for logical_id, res in synthesized.get("Resources", {}).items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::IAM::Role":
            st = props["AssumeRolePolicyDocument"]["Statement"][0]
            m = json.loads(json.dumps(synthesized))
            m["Resources"][logical_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0][
                "Principal"] = {"Service": "ec2.amazonaws.com.evil"}
            yield f"{logical_id}: trust principal", m
            if "Condition" in st:
                m = json.loads(json.dumps(synthesized))
                del m["Resources"][logical_id]["Properties"]["AssumeRolePolicyDocument"][
                    "Statement"][0]["Condition"]
                yield f"{logical_id}: trust condition", m
        if res.get("Type") == "AWS::IAM::ManagedPolicy":
            m = json.loads(json.dumps(synthesized))
            m["Resources"][logical_id]["Properties"]["PolicyDocument"]["Statement"][0][
                "Resource"] = "*"
            yield f"{logical_id}: grant", m


def main(argv: list[str]) -> int:
    if argv[:1] == ["--show"]:
        with open(argv[1]) as f:
            t = json.load(f)
        print(dump(meaning(t, argv[2] if len(argv) > 2 else partition_of(t))))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        cfn = json.load(f)
    with open(argv[1]) as f:
        synthesized = json.load(f)
    try:
        diff = compare(cfn, synthesized)
        if diff is None:
            for what, m in mutants(synthesized):
                if compare(cfn, m) is None:
                    print(f"comparison blind to a change of {what}", file=sys.stderr)
                    return 1
    except MeaningError as e:
        print(f"cannot compare: {e}", file=sys.stderr)
        return 1
    if diff is not None:
        sys.stdout.write(diff)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
