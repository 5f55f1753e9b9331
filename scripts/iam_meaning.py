#!/usr/bin/env python3
"""Reduce an IaC output to its canonical "IAM meaning", so targets can be compared.

    iam_meaning.py [--partition P] [--whole-template] FILE...   print each meaning as sorted JSON
    iam_meaning.py [--partition P] [--whole-template|--without-outputs] [--self-test] --compare BASE OTHER...
        exit 1 with a diff if a meaning differs from BASE's (2: a file cannot be reduced)

FILE kinds (chosen by name): *.json with "Resources" -> CloudFormation (also CDK's
synthesized template); *.tf -> Terraform HCL (needs python-hcl2); *.tf.json ->
Terraform JSON. CloudFormation alone needs only the standard library.

The meaning (what IAM ends up holding, keyed by names, never by logical IDs or
Terraform resource names) is what every target can express:
  roles: {name: {path, external, description, permissions_boundary,
                 max_session_duration, tags {key: value}, trust: [statement...], trust_version,
                 managed_policy_arns: [...], custom_policies: [name...],
                 grants: [[effect, action, resource, cond]...]}}
  policies: {name: {path, description, version, statements: [statement...]}}
  instance_profiles: {name: {role, path}}
  service_settings: {setting ID: {value, after: [role...]}}   (Default Host Management)
  stack_sets: {name: {description, permission_model, call_as, capabilities,
               auto_deployment, managed_execution, operation_preferences,
               instances: [[region, [OU...]]...], after: [StackSet name...],
               template: the meaning of its template, with --whole-template's facts}}
  outputs: [[description, value]...]
Statements keep their Sid and their order (every target spells both); within one,
Action/Resource/Principal lists are sets, and a single value equals a list of one.
`grants` is the role's effective Action x Resource view of its custom policies.
An empty description equals none, an absent path is "/", an absent
max_session_duration is 3600. Pseudo parameters: AWS::Partition -> the partition,
AWS::AccountId -> ${ACCOUNT}, AWS::Region -> ${REGION}, AWS::URLSuffix -> the
partition's DNS suffix. A role the file does not define but attaches a policy to is
"external" (its other facts are null). A service setting is keyed by its ID
(CloudFormation's SettingId; Terraform's setting_id is the setting's ARN in the
deploying account and region, reduced to the ID); `after` names the roles it is
ordered after (DependsOn, depends_on). A StackSet (CloudFormation's
AWS::CloudFormation::StackSet, Terraform's aws_cloudformation_stack_set with its
aws_cloudformation_stack_set_instance per region) is keyed by its name; CallAs
absent is SELF, and its template is reduced as a CloudFormation template.

--whole-template (CloudFormation only: our template against CDK's synth output) adds
what only a template carries: "template": {description, outputs by logical key,
other resources, parameters, rules, conditions}. CDK's BootstrapVersion parameter,
CheckBootstrapVersion rule and AWS::CDK::Metadata resource are dropped.
Not compared by any mode: Terraform's tags on the instance profile (CloudFormation's
AWS::IAM::InstanceProfile has no Tags), output names across targets, comments.

--without-outputs drops outputs: a CDK construct synthesized without its app has none.

--self-test (with --compare): each CloudFormation OTHER is also mutated, one change
at a time (a trust principal, Sid and condition, a role tag value, a policy's Sid and
grant, a service setting's value), and every mutant must differ from BASE, so a comparison blind to such a
change fails instead of passing.

Add a target by writing a reducer: a function (path, partition) -> Model that calls
Model.add_role / attach_managed / add_policy / attach_policy / add_inline_policy /
add_instance_profile / add_output.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

ACCOUNT = "${ACCOUNT}"
REGION = "${REGION}"
DNS_SUFFIX = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com",
              "aws-eusc": "amazonaws.eu"}


class MeaningError(Exception):
    pass


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def canon(v):
    """Stable text of any JSON value (used for conditions and sorting)."""
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def norm_statement(st: dict) -> dict:
    """Statement with list-valued fields sorted and singletons as lists."""
    out = {}
    for k, v in st.items():
        if k in ("Action", "NotAction", "Resource", "NotResource"):
            out[k] = sorted(as_list(v))
        elif k in ("Principal", "NotPrincipal"):
            out[k] = v if v == "*" else {t: sorted(as_list(x)) for t, x in sorted(v.items())}
        elif k == "Condition":
            out[k] = {op: {key: sorted(as_list(val), key=canon) for key, val in sorted(kv.items())}
                      for op, kv in sorted(v.items())}
        else:
            out[k] = v
    return out


def grants_of(doc: dict) -> list:
    """(effect, action, resource, condition) for every Action x Resource pair."""
    out = []
    for st in as_list(doc.get("Statement")):
        st = norm_statement(st)
        acts = [("", a) for a in st.get("Action", [])] + [("not:", a) for a in st.get("NotAction", [])]
        ress = [("", r) for r in st.get("Resource", [])] + [("not:", r) for r in st.get("NotResource", [])]
        cond = canon(st["Condition"]) if "Condition" in st else ""
        for ap, a in acts:
            for rp, r in ress:
                out.append([st.get("Effect", "Allow"), ap + a, rp + r, cond])
    return out


def statements_of(doc: dict) -> list:
    return [norm_statement(st) for st in as_list(doc.get("Statement"))]


class Model:
    def __init__(self):
        self.roles: dict[str, dict] = {}
        self.policies: dict[str, dict] = {}
        self.profiles: dict[str, dict] = {}
        self.settings: dict[str, dict] = {}
        self.stack_sets: dict[str, dict] = {}
        self.outputs: list = []
        self.template: dict | None = None  # --whole-template facts (CloudFormation only)

    def _role(self, name: str) -> dict:
        if not isinstance(name, str):
            raise MeaningError(f"role name is not a literal string: {name!r}")
        return self.roles.setdefault(name, {"path": None, "external": True, "description": None,
                                            "permissions_boundary": None, "max_session_duration": None,
                                            "tags": None, "trust": [], "trust_version": None,
                                            "managed_policy_arns": set(), "custom_policies": set(),
                                            "grants": set()})

    def add_role(self, name, path, trust_doc, description=None, permissions_boundary=None,
                 max_session_duration=None, tags=None):
        r = self._role(name)
        r["external"] = False
        r["path"] = path or "/"
        r["description"] = description or None
        r["permissions_boundary"] = permissions_boundary
        r["max_session_duration"] = int(max_session_duration or 3600)
        r["tags"] = dict(sorted((tags or {}).items()))
        r["trust"] = statements_of(trust_doc)
        r["trust_version"] = trust_doc.get("Version")

    def attach_managed(self, role, arn):
        if not isinstance(arn, str):
            raise MeaningError(f"managed policy ARN is not a literal string: {arn!r}")
        self._role(role)["managed_policy_arns"].add(arn)

    def add_policy(self, name, path, description, doc):
        """A customer managed policy (it may be attached to no role, or to several)."""
        if not isinstance(name, str):
            raise MeaningError(f"policy name is not a literal string: {name!r}")
        if name in self.policies:
            raise MeaningError(f"two policies named {name}")
        self.policies[name] = {"path": path or "/", "description": description or None,
                               "version": doc.get("Version"), "statements": statements_of(doc), "doc": doc}

    def attach_policy(self, role, policy_name):
        if policy_name not in self.policies:
            raise MeaningError(f"role {role} is attached to unknown policy {policy_name!r}")
        self._grant(role, policy_name, self.policies[policy_name]["doc"])

    def add_inline_policy(self, role, policy_name, doc):
        key = f"inline:{role}:{policy_name}"
        self.add_policy(key, None, None, doc)
        self._grant(role, key, doc)

    def _grant(self, role, policy_name, doc):
        r = self._role(role)
        r["custom_policies"].add(policy_name)
        for g in grants_of(doc):
            r["grants"].add(tuple(g))

    def add_instance_profile(self, name, role, path):
        if not isinstance(name, str):
            raise MeaningError(f"instance profile name is not a literal string: {name!r}")
        self.profiles[name] = {"role": role, "path": path or "/"}

    def add_service_setting(self, setting_id, value, after):
        if not isinstance(setting_id, str) or not isinstance(value, str):
            raise MeaningError(f"service setting is not literal: {setting_id!r} = {value!r}")
        if setting_id in self.settings:
            raise MeaningError(f"two service settings {setting_id}")
        self.settings[setting_id] = {"value": value, "after": sorted(after)}

    def add_stack_set(self, name, description, permission_model, call_as, capabilities, auto_deployment,
                      managed_execution, operation_preferences, template_body, partition):
        if not isinstance(name, str):
            raise MeaningError(f"StackSet name is not a literal string: {name!r}")
        if name in self.stack_sets:
            raise MeaningError(f"two StackSets named {name}")
        if not isinstance(template_body, str):
            raise MeaningError(f"StackSet {name}: TemplateBody is not a literal string")
        auto = auto_deployment or {}
        depends_on = []
        for arn in auto.get("depends_on") or []:
            # arn:PARTITION:cloudformation:REGION:ACCOUNT:stackset/NAME:ID, reduced to NAME
            m = re.fullmatch(rf"arn:{re.escape(partition)}:cloudformation:[^:]+:[^:]+:stackset/([^:/]+):.+", str(arn))
            if not m:
                raise MeaningError(f"StackSet {name}: AutoDeployment.DependsOn {arn!r} is not a StackSet ARN of partition {partition}")
            depends_on.append(m.group(1))
        self.stack_sets[name] = {
            "description": description or None,
            "permission_model": permission_model or "SELF_MANAGED",
            "call_as": call_as or "SELF",
            "capabilities": sorted(capabilities or []),
            "auto_deployment": {"enabled": auto.get("enabled"), "retain": auto.get("retain"),
                                "depends_on": sorted(depends_on)},
            "managed_execution": (managed_execution or {}).get("active"),
            "operation_preferences": dict(sorted((operation_preferences or {}).items())),
            "instances": [], "after": [],
            "template": reduce_template(json.loads(template_body), partition).to_json(whole_template=True),
        }

    def add_stack_instances(self, stack_set, region, ous, after=()):
        if stack_set not in self.stack_sets:
            raise MeaningError(f"stack instances of an unknown StackSet {stack_set!r}")
        s = self.stack_sets[stack_set]
        s["instances"] = sorted(s["instances"] + [[region, sorted(ous)]])
        # AutoDeployment.DependsOn orders the first deployment as well (its Ref does).
        s["after"] = sorted(set(s["after"]) | set(after) | set(s["auto_deployment"]["depends_on"]))

    def add_output(self, description, value):
        self.outputs.append([description or None, value])

    def to_json(self, whole_template=False, outputs=True) -> dict:
        roles = {}
        for n, r in sorted(self.roles.items()):
            roles[n] = dict(r, managed_policy_arns=sorted(r["managed_policy_arns"]),
                            custom_policies=sorted(r["custom_policies"]),
                            grants=sorted(list(g) for g in r["grants"]))
        out = {"roles": roles,
               "policies": {n: {k: v for k, v in p.items() if k != "doc"} for n, p in sorted(self.policies.items())},
               "instance_profiles": dict(sorted(self.profiles.items())),
               "service_settings": dict(sorted(self.settings.items())),
               "stack_sets": dict(sorted(self.stack_sets.items())),
               "outputs": sorted(self.outputs, key=canon)}
        if not outputs:
            del out["outputs"]
        if whole_template:
            if self.template is None:
                raise MeaningError("--whole-template compares CloudFormation templates only")
            out["template"] = self.template
        return out


# ---------------------------------------------------------------- CloudFormation
class CfnResolver:
    """Resolves the intrinsic functions the compiler (and CDK) emit to concrete values."""

    def __init__(self, template: dict, partition: str, account=ACCOUNT, region=REGION):
        self.t = template
        self.res = template.get("Resources", {})
        self.pseudo = {"AWS::Partition": partition, "AWS::AccountId": account, "AWS::Region": region,
                       "AWS::URLSuffix": DNS_SUFFIX.get(partition, "amazonaws.com"),
                       "AWS::NoValue": None}
        self.partition, self.account = partition, account

    def ref(self, name: str):
        if name in self.pseudo:
            return self.pseudo[name]
        params = self.t.get("Parameters", {})
        if name in params:
            if "Default" not in params[name]:
                return "${" + name + "}"  # given at deploy: the same placeholder in every target
            return params[name]["Default"]
        r = self.res.get(name)
        if r is None:
            raise MeaningError(f"Ref to unknown name {name}")
        p = r.get("Properties", {})
        if r["Type"] == "AWS::IAM::Role":
            return self.v(p.get("RoleName")) or f"<generated:{name}>"
        if r["Type"] == "AWS::IAM::InstanceProfile":
            return self.v(p.get("InstanceProfileName")) or f"<generated:{name}>"
        if r["Type"] == "AWS::IAM::ManagedPolicy":
            return f"<policy:{name}>"
        if r["Type"] == "AWS::CloudFormation::StackSet":  # the StackSetId, NAME:ID
            return f"{self.v(p.get('StackSetName'))}:<id>"
        raise MeaningError(f"Ref to unsupported resource type {r['Type']} ({name})")

    def getatt(self, name: str, attr: str):
        r = self.res.get(name)
        if r is None:
            raise MeaningError(f"Fn::GetAtt on unknown resource {name}")
        p = r.get("Properties", {})
        if r["Type"] == "AWS::IAM::Role" and attr == "Arn":
            path = self.v(p.get("Path")) or "/"
            return f"arn:{self.partition}:iam::{self.account}:role{path}{self.ref(name)}"
        if r["Type"] == "AWS::IAM::InstanceProfile" and attr == "Arn":
            path = self.v(p.get("Path")) or "/"
            return f"arn:{self.partition}:iam::{self.account}:instance-profile{path}{self.ref(name)}"
        if r["Type"] == "AWS::IAM::ManagedPolicy" and attr == "PolicyArn":
            return f"<policy:{name}>"
        raise MeaningError(f"Fn::GetAtt {name}.{attr} is not supported")

    def sub(self, text: str, vars_: dict):
        def one(m):
            inner = m.group(1)
            if inner.startswith("!"):
                return "${" + inner[1:] + "}"
            if inner in vars_:
                return str(self.v(vars_[inner]))
            if "." in inner and inner not in self.pseudo:
                return str(self.getatt(*inner.split(".", 1)))
            return str(self.ref(inner))
        return re.sub(r"\$\{([^}]+)\}", one, text)

    def v(self, x):
        if isinstance(x, list):
            return [y for y in (self.v(e) for e in x) if y is not None]
        if not isinstance(x, dict):
            return x
        if len(x) == 1:
            (k, a), = x.items()
            if k == "Ref":
                return self.ref(a)
            if k == "Fn::Sub":
                return self.sub(a, {}) if isinstance(a, str) else self.sub(a[0], a[1])
            if k == "Fn::Join":
                return a[0].join(str(e) for e in self.v(a[1]))
            if k == "Fn::GetAtt":
                name, attr = a.split(".", 1) if isinstance(a, str) else a
                return self.getatt(name, attr)
            if k.startswith("Fn::") or k == "Condition":
                raise MeaningError(f"intrinsic {k} is not supported by iam_meaning")
        return {k: self.v(e) for k, e in x.items()}


IAM_TYPES = {"AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::InstanceProfile",
             "AWS::SSM::ServiceSetting", "AWS::CloudFormation::StackSet"}


def reduce_cloudformation(path: Path, partition: str) -> Model:
    return reduce_template(json.loads(path.read_text()), partition)


def _snake(key: str) -> str:
    """CloudFormation's `MaxConcurrentPercentage` as Terraform spells it."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def reduce_template(t: dict, partition: str) -> Model:
    t = json.loads(json.dumps(t))  # callers' templates stay untouched
    # CDK's bootstrap plumbing has no IAM meaning.
    t.get("Parameters", {}).pop("BootstrapVersion", None)
    t.get("Rules", {}).pop("CheckBootstrapVersion", None)
    r = CfnResolver(t, partition)
    m = Model()
    res = {lid: x for lid, x in t.get("Resources", {}).items() if x.get("Type") != "AWS::CDK::Metadata"}

    def policy_name(lid):
        return r.v(res[lid].get("Properties", {}).get("ManagedPolicyName")) or f"<generated:{lid}>"

    for lid, x in res.items():
        p = x.get("Properties", {})
        if x.get("Type") == "AWS::IAM::ManagedPolicy":
            m.add_policy(policy_name(lid), r.v(p.get("Path")), r.v(p.get("Description")), r.v(p["PolicyDocument"]))
            if p.get("Users") or p.get("Groups"):
                raise MeaningError(f"{lid}: Users/Groups attachments are not supported")
    for lid, x in res.items():
        if x.get("Type") == "AWS::IAM::Role":
            p = x.get("Properties", {})
            name = r.ref(lid)
            tags = {}
            for tag in r.v(as_list(p.get("Tags"))):
                tags[tag["Key"]] = tag["Value"]
            m.add_role(name, r.v(p.get("Path")), r.v(p["AssumeRolePolicyDocument"]), r.v(p.get("Description")),
                       r.v(p.get("PermissionsBoundary")), r.v(p.get("MaxSessionDuration")), tags)
            for arn in r.v(as_list(p.get("ManagedPolicyArns"))):
                if arn.startswith("<policy:"):
                    m.attach_policy(name, policy_name(arn[8:-1]))
                else:
                    m.attach_managed(name, arn)
            for pol in as_list(p.get("Policies")):  # inline policies
                m.add_inline_policy(name, r.v(pol["PolicyName"]), r.v(pol["PolicyDocument"]))
    for lid, x in res.items():
        p = x.get("Properties", {})
        if x.get("Type") == "AWS::IAM::ManagedPolicy":
            for role in r.v(as_list(p.get("Roles"))):
                m.attach_policy(role, policy_name(lid))
        elif x.get("Type") == "AWS::IAM::Policy":
            doc = r.v(p["PolicyDocument"])
            for role in r.v(as_list(p.get("Roles"))):
                m.add_inline_policy(role, r.v(p["PolicyName"]), doc)
        elif x.get("Type") == "AWS::CloudFormation::StackSet":
            name = r.v(p.get("StackSetName"))
            auto = r.v(p.get("AutoDeployment")) or {}
            prefs = r.v(p.get("OperationPreferences")) or {}
            m.add_stack_set(name, r.v(p.get("Description")), r.v(p.get("PermissionModel")), r.v(p.get("CallAs")),
                            r.v(p.get("Capabilities")),
                            {"enabled": auto.get("Enabled"), "retain": auto.get("RetainStacksOnAccountRemoval"),
                             "depends_on": auto.get("DependsOn")},
                            {"active": (r.v(p.get("ManagedExecution")) or {}).get("Active")},
                            {_snake(k): v for k, v in prefs.items()}, r.v(p.get("TemplateBody")), partition)
            after = [r.v(res[d]["Properties"]["StackSetName"]) for d in as_list(x.get("DependsOn"))
                     if res.get(d, {}).get("Type") == "AWS::CloudFormation::StackSet"]
            for group in r.v(as_list(p.get("StackInstancesGroup"))):
                ous = (group.get("DeploymentTargets") or {}).get("OrganizationalUnitIds") or []
                for region in group.get("Regions", []):
                    m.add_stack_instances(name, region, ous, after)
        elif x.get("Type") == "AWS::SSM::ServiceSetting":
            after = [r.ref(d) for d in as_list(x.get("DependsOn")) if res.get(d, {}).get("Type") == "AWS::IAM::Role"]
            m.add_service_setting(r.v(p.get("SettingId")), r.v(p.get("SettingValue")), after)
        elif x.get("Type") == "AWS::IAM::InstanceProfile":
            roles = r.v(as_list(p.get("Roles")))
            if len(roles) != 1:
                raise MeaningError(f"{lid}: an instance profile holds exactly one role, got {roles}")
            m.add_instance_profile(r.ref(lid), roles[0], r.v(p.get("Path")))
    outputs = {k: {"description": o.get("Description"), "value": r.v(o["Value"])}
               for k, o in t.get("Outputs", {}).items()}
    for o in outputs.values():
        m.add_output(o["description"], o["value"])
    m.template = {"description": t.get("Description"), "outputs": dict(sorted(outputs.items())),
                  "other_resources": sorted(f"{lid} ({x.get('Type')})" for lid, x in res.items()
                                            if x.get("Type") not in IAM_TYPES),
                  "parameters": t.get("Parameters", {}), "rules": t.get("Rules", {}),
                  "conditions": t.get("Conditions", {})}
    return m


# ---------------------------------------------------------------- Terraform
def _hcl_loads(text: str) -> dict:
    import hcl2  # python-hcl2 8.1.4; only needed for Terraform HCL
    return hcl2.loads(text, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True))


def _tf_blocks(doc: dict, kind: str):
    """(type, name, body) of every `resource`/`data` block, for HCL (python-hcl2) or JSON."""
    sect = doc.get(kind, [])
    for chunk in as_list(sect):
        for typ, by_name in chunk.items():
            for name, bodies in by_name.items():
                for body in as_list(bodies):
                    yield typ, name, {k: v for k, v in body.items() if not k.startswith("__")}


def split_interp(s: str) -> list:
    """Split a Terraform template string into ("lit", text) and ("expr", inner) parts,
    counting braces and skipping quoted strings inside expressions; $${ and %%{ are
    the escaped literals ${ and %{."""
    out, i, lit = [], 0, []
    while i < len(s):
        if s.startswith("$${", i) or s.startswith("%%{", i):
            lit.append(s[i + 1:i + 3]); i += 3; continue
        if s.startswith("${", i):
            depth, j, q = 1, i + 2, False
            while j < len(s) and depth:
                c = s[j]
                if q:
                    if c == "\\":
                        j += 1
                    elif c == '"':
                        q = False
                elif c == '"':
                    q = True
                elif c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                j += 1
            if depth:
                raise MeaningError(f"unbalanced interpolation in {s!r}")
            if lit:
                out.append(("lit", "".join(lit))); lit = []
            out.append(("expr", s[i + 2:j - 1])); i = j; continue
        lit.append(s[i]); i += 1
    if lit or not out:
        out.append(("lit", "".join(lit)))
    return out


class TfResolver:

    def __init__(self, doc: dict, partition: str):
        self.partition = partition
        self.res = {(t, n): b for t, n, b in _tf_blocks(doc, "resource")}
        self.data = {(t, n): b for t, n, b in _tf_blocks(doc, "data")}
        self.vars = {}
        for chunk in as_list(doc.get("variable", [])):
            for n, b in chunk.items():
                b = as_list(b)[0]
                self.vars[n] = b.get("default")
        self.locals = {}
        for chunk in as_list(doc.get("locals", [])):
            for b in as_list(chunk):
                self.locals.update({k: v for k, v in b.items() if not k.startswith("__")})

    def expr(self, e: str):
        e = e.strip()
        # A quoted string literal: how Terraform JSON spells a lone carriage return
        # (`${"\r"}`, `${"$\r"}` after a literal `$`); HCL's simple escapes are JSON's.
        m = re.fullmatch(r'"((?:[^"\\]|\\[nrt"\\])*)"', e)
        if m:
            return json.loads('"' + m.group(1) + '"')
        m = re.fullmatch(r"jsonencode\((.*)\)", e, re.S)
        if m:
            return self.v(_hcl_loads("x = " + m.group(1) + "\n")["x"])
        parts = e.split(".")
        if parts[0] == "var":
            return self.v(self.vars[parts[1]])
        if parts[0] == "local":
            return self.v(self.locals[parts[1]])
        if parts[0] == "data":
            typ, name, attr = parts[1], parts[2], ".".join(parts[3:])
            if typ == "aws_partition":
                return {"partition": self.partition, "dns_suffix": DNS_SUFFIX.get(self.partition),
                        "id": self.partition}[attr]
            if typ == "aws_caller_identity" and attr in ("account_id", "id"):
                return ACCOUNT
            if typ == "aws_region" and attr in ("region", "name", "id"):
                return REGION
            if typ == "aws_iam_policy_document" and attr == "json":
                return self.policy_document(self.data[(typ, name)])
            if typ == "aws_iam_role" and attr in ("name", "id"):
                return self.v(self.data[(typ, name)]["name"])
            raise MeaningError(f"unsupported Terraform reference {e}")
        if len(parts) >= 3 and (parts[0], parts[1]) in self.res:
            typ, name, attr = parts[0], parts[1], ".".join(parts[2:])
            body = self.res[(typ, name)]
            if typ in ("aws_iam_role", "aws_iam_instance_profile", "aws_iam_policy") and attr in ("name", "id") \
                    and not (typ == "aws_iam_policy" and attr == "id"):
                return self.v(body["name"])
            if typ == "aws_cloudformation_stack_set" and attr == "name":
                return self.v(body["name"])
            if typ == "aws_cloudformation_stack_set" and attr == "arn":
                return f"arn:{self.partition}:cloudformation:{REGION}:{ACCOUNT}:stackset/{self.v(body['name'])}:<id>"
            if typ == "aws_iam_policy" and attr in ("arn", "id"):
                return f"<policy:{name}>"
            if typ == "aws_iam_instance_profile" and attr == "arn":
                return (f"arn:{self.partition}:iam::{ACCOUNT}:instance-profile"
                        f"{self.v(body.get('path')) or '/'}{self.v(body['name'])}")
            if typ == "aws_iam_role" and attr == "arn":
                return f"arn:{self.partition}:iam::{ACCOUNT}:role{self.v(body.get('path')) or '/'}{self.v(body['name'])}"
        raise MeaningError(f"unsupported Terraform expression ${{{e}}}")

    def v(self, x):
        if isinstance(x, list):
            return [self.v(e) for e in x]
        if isinstance(x, dict):
            return {k: self.v(e) for k, e in x.items() if not k.startswith("__")}
        if not isinstance(x, str):
            return x
        parts = split_interp(x)
        if len(parts) == 1 and parts[0][0] == "expr":
            return self.expr(parts[0][1])  # may be a non-string (jsonencode, lists)
        return "".join(t if k == "lit" else str(self.expr(t)) for k, t in parts)

    def policy_text(self, x):
        v = self.v(x)
        if isinstance(v, str):
            v = json.loads(v)  # a literal JSON policy (heredoc or string)
        return v

    def policy_document(self, body: dict) -> dict:
        stmts = []
        for s in as_list(body.get("statement")):
            s = self.v(s)
            st = {"Effect": s.get("effect", "Allow")}
            for tf, cf in (("actions", "Action"), ("not_actions", "NotAction"),
                           ("resources", "Resource"), ("not_resources", "NotResource")):
                if s.get(tf) is not None:
                    st[cf] = s[tf]
            for tf, cf in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                if s.get(tf):
                    st[cf] = {}
                    for p in as_list(s[tf]):
                        st[cf].setdefault(p["type"], []).extend(as_list(p["identifiers"]))
            for c in as_list(s.get("condition")):
                st.setdefault("Condition", {}).setdefault(c["test"], {})[c["variable"]] = c["values"]
            stmts.append(st)
        return {"Version": "2012-10-17", "Statement": stmts}


def reduce_terraform(path: Path, partition: str) -> Model:
    text = path.read_text()
    doc = json.loads(text) if path.name.endswith(".tf.json") else _hcl_loads(text)
    r = TfResolver(doc, partition)
    m = Model()
    policy_names = {}
    for (t, n), b in r.res.items():
        if t == "aws_iam_policy":
            policy_names[n] = r.v(b.get("name"))
            m.add_policy(policy_names[n], r.v(b.get("path")), r.v(b.get("description")), r.policy_text(b["policy"]))
    for (t, n), b in r.res.items():
        if t == "aws_iam_role":
            if "name" not in b:
                raise MeaningError(f"aws_iam_role.{n}: no literal name")
            name = r.v(b["name"])
            m.add_role(name, r.v(b.get("path")), r.policy_text(b["assume_role_policy"]), r.v(b.get("description")),
                       r.v(b.get("permissions_boundary")), r.v(b.get("max_session_duration")),
                       {_tf_key(k): v for k, v in (r.v(b.get("tags")) or {}).items()})
            for arn in r.v(as_list(b.get("managed_policy_arns"))):
                m.attach_managed(name, arn)
    for (t, n), b in r.res.items():
        if t == "aws_iam_role_policy_attachment":
            role, arn = r.v(b["role"]), r.v(b["policy_arn"])
            if isinstance(arn, str) and arn.startswith("<policy:"):
                m.attach_policy(role, policy_names[arn[8:-1]])
            else:
                m.attach_managed(role, arn)
        elif t == "aws_iam_role_policy":
            m.add_inline_policy(r.v(b["role"]), r.v(b["name"]), r.policy_text(b["policy"]))
        elif t == "aws_iam_instance_profile":
            m.add_instance_profile(r.v(b["name"]), r.v(b["role"]), r.v(b.get("path")))
        elif t == "aws_iam_policy_attachment":
            raise MeaningError(f"aws_iam_policy_attachment.{n} is not supported (exclusive attachment)")
        elif t == "aws_cloudformation_stack_set":
            one = lambda block: as_list(r.v(block))[0] if block else {}
            auto = one(b.get("auto_deployment"))
            m.add_stack_set(r.v(b["name"]), r.v(b.get("description")), r.v(b.get("permission_model")),
                            r.v(b.get("call_as")), r.v(b.get("capabilities")),
                            {"enabled": auto.get("enabled"), "retain": auto.get("retain_stacks_on_account_removal"),
                             "depends_on": auto.get("depends_on_stack_sets")},
                            one(b.get("managed_execution")), one(b.get("operation_preferences")),
                            r.v(b.get("template_body")), partition)
        elif t == "aws_ssm_service_setting":
            arn = r.v(b["setting_id"])
            prefix = f"arn:{partition}:ssm:{REGION}:{ACCOUNT}:servicesetting"
            if not (isinstance(arn, str) and arn.startswith(prefix + "/")):
                raise MeaningError(f"aws_ssm_service_setting.{n}: {arn!r} is not a setting of the deploying account and region")
            after = []
            for d in as_list(b.get("depends_on")):
                address = d[2:-1] if d.startswith("${") and d.endswith("}") else d  # HCL reads `x.y` as "${x.y}"
                typ, _, name = address.partition(".")
                if typ == "aws_iam_role":
                    after.append(r.v(r.res[(typ, name)]["name"]))
            m.add_service_setting(arn[len(prefix):], r.v(b["setting_value"]), after)
    for (t, n), b in r.res.items():
        if t != "aws_cloudformation_stack_set_instance":
            continue
        stack_set = r.v(b["stack_set_name"])
        s = m.stack_sets.get(stack_set)
        if s is None:
            raise MeaningError(f"{t}.{n}: unknown StackSet {stack_set!r}")
        if (r.v(b.get("call_as")) or "SELF") != s["call_as"]:
            raise MeaningError(f"{t}.{n}: call_as differs from its StackSet's")
        prefs = as_list(r.v(b.get("operation_preferences")))
        if prefs and dict(sorted(prefs[0].items())) != s["operation_preferences"]:
            raise MeaningError(f"{t}.{n}: operation_preferences differ from its StackSet's")
        targets = as_list(r.v(b.get("deployment_targets")))
        ous = targets[0].get("organizational_unit_ids", []) if targets else []
        after = []
        for d in as_list(b.get("depends_on")):
            address = d[2:-1] if d.startswith("${") and d.endswith("}") else d
            typ, _, name = address.partition(".")
            if typ == "aws_cloudformation_stack_set_instance":
                after.append(r.v(r.res[(typ, name)]["stack_set_name"]))
        m.add_stack_instances(stack_set, r.v(b.get("stack_set_instance_region")), ous, after)
    for chunk in as_list(doc.get("output", [])):
        for n, b in chunk.items():
            b = as_list(b)[0]
            m.add_output(r.v(b.get("description")), r.v(b["value"]))
    return m


def _tf_key(k: str) -> str:
    """An HCL object key as written ("cost-center" keeps its quotes in python-hcl2)."""
    return k[1:-1] if len(k) >= 2 and k[0] == k[-1] == '"' else k


# ---------------------------------------------------------------- driver
def reducer_for(path: Path):
    n = path.name
    if n.endswith(".tf") or n.endswith(".tf.json"):
        return reduce_terraform
    if n.endswith(".json"):
        return reduce_cloudformation
    raise MeaningError(f"no reducer for {path}")


def meaning(path: Path, partition: str, whole_template=False, outputs=True) -> dict:
    try:
        return reducer_for(path)(path, partition).to_json(whole_template, outputs)
    except MeaningError:
        raise
    except Exception as e:  # malformed input: name the file
        raise MeaningError(f"{type(e).__name__}: {e}") from e


def dump(m: dict) -> str:
    return json.dumps(m, indent=2, sort_keys=True) + "\n"


def mutants(template: dict):
    """(what, template) pairs, each differing from `template` in one IAM fact that
    every mode compares: a trust principal, Sid and condition, a role tag value, a
    policy's Sid and grant, a service setting's value."""
    def changed(lid, edit):
        m = json.loads(json.dumps(template))
        edit(m["Resources"][lid]["Properties"])
        return m

    for lid, res in template.get("Resources", {}).items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::IAM::Role":
            def trust(p):
                return as_list(p["AssumeRolePolicyDocument"]["Statement"])[0]
            yield f"{lid}: trust principal", changed(
                lid, lambda p: trust(p).update(Principal={"Service": "ec2.amazonaws.com.evil"}))
            yield f"{lid}: trust Sid", changed(lid, lambda p: trust(p).update(Sid="ChangedSid"))
            if "Condition" in trust(props):
                yield f"{lid}: trust condition", changed(lid, lambda p: trust(p).pop("Condition"))
            if props.get("Tags"):
                yield f"{lid}: tag value", changed(lid, lambda p: p["Tags"][0].update(Value="changed"))
        if res.get("Type") == "AWS::CloudFormation::StackSet":
            def group(p):
                return p["StackInstancesGroup"][0]
            yield f"{lid}: regions", changed(lid, lambda p: group(p)["Regions"].append("ap-south-2"))
            yield f"{lid}: OUs", changed(
                lid, lambda p: group(p)["DeploymentTargets"]["OrganizationalUnitIds"].append("ou-zzzz-99999999"))
            def other_body(p):
                body = json.loads(p["TemplateBody"])
                body["Description"] = f"{body.get('Description', '')} (changed by the self-test)"
                p.update(TemplateBody=json.dumps(body))
            yield f"{lid}: template", changed(lid, other_body)
        if res.get("Type") == "AWS::SSM::ServiceSetting":
            yield f"{lid}: setting value", changed(lid, lambda p: p.update(SettingValue=p["SettingValue"] + "X"))
        if res.get("Type") == "AWS::IAM::ManagedPolicy":
            def first(p):
                return as_list(p["PolicyDocument"]["Statement"])[0]
            # a grant on "*" cannot widen: narrow it instead
            other = "arn:aws:s3:::changed-by-self-test/*" if as_list(first(props).get("Resource")) == ["*"] else "*"
            yield f"{lid}: grant", changed(lid, lambda p: first(p).update(Resource=other))
            yield f"{lid}: policy Sid", changed(lid, lambda p: first(p).update(Sid="ChangedSid"))


def blind_spots(base_meaning: str, other: Path, partition: str, whole_template: bool, outputs: bool) -> list:
    """The mutations of `other` (a CloudFormation template) that compare equal to the base."""
    if reducer_for(other) is not reduce_cloudformation:
        return []
    out = []
    for what, t in mutants(json.loads(other.read_text())):
        if dump(reduce_template(t, partition).to_json(whole_template, outputs)) == base_meaning:
            out.append(what)
    return out


def guess_partition(*texts: str) -> str:
    """Partition of a fixture: the one its literal ARNs name, else aws."""
    found = set()
    for t in texts:
        found.update(re.findall(r"arn:(aws(?:-[a-z]+)*):", t))
    if len(found) > 1:
        raise MeaningError(f"literal ARNs name several partitions: {sorted(found)}")
    return found.pop() if found else "aws"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--partition", help="default: guessed from literal ARNs in the files")
    ap.add_argument("--compare", action="store_true", help="compare every FILE with the first")
    ap.add_argument("--whole-template", action="store_true",
                    help="also compare template-only facts (CloudFormation files only)")
    ap.add_argument("--without-outputs", action="store_true", help="do not compare outputs")
    ap.add_argument("--self-test", action="store_true",
                    help="with --compare: mutate each CloudFormation FILE and require the difference to show")
    ap.add_argument("files", nargs="+", type=Path)
    a = ap.parse_args(argv)
    if a.self_test and not a.compare:
        ap.error("--self-test needs --compare")
    meanings = {}
    try:
        part = a.partition or guess_partition(*(f.read_text() for f in a.files))
        for f in a.files:
            try:
                meanings[f] = dump(meaning(f, part, a.whole_template, not a.without_outputs))
            except MeaningError as e:
                raise MeaningError(f"{f}: {e}") from e
    except MeaningError as e:
        print(f"iam_meaning: {e}", file=sys.stderr)
        return 2
    if not a.compare:
        for f in a.files:
            print(meanings[f], end="")
        return 0
    base, rc = a.files[0], 0
    for f in a.files[1:]:
        if meanings[f] != meanings[base]:
            rc = 1
            sys.stdout.writelines(difflib.unified_diff(meanings[base].splitlines(True), meanings[f].splitlines(True),
                                                       str(base), str(f)))
        elif a.self_test:
            for what in blind_spots(meanings[base], f, part, a.whole_template, not a.without_outputs):
                rc = 1
                print(f"iam_meaning: {f}: the comparison is blind to a change of {what}", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
