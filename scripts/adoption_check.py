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

live ENDPOINT SSM_PROFILE SPEC: the round trip on the local AWS API (moto server at
ENDPOINT, started with MOTO_IAM_LOAD_MANAGED_POLICIES=true so AWS managed policies can
be attached). It makes the AWS setup page's resources as its console steps do, without
the compiler: the role SSMInstanceProfile trusted by EC2, the customer managed policy
SSMInstanceProfileS3Policy, the three AWS managed policies the seed attaches, and the
instance profile of the same name holding the role. It dumps
`get-account-authorization-details` (Role, LocalManagedPolicy; pages merged as the AWS
CLI merges them) and runs `ssm-profile drift SPEC --live DUMP --message-format json`:
- the policy written as the spec's statements (each grant once): no change found;
- each planted difference is found, and only it: an extra managed policy attached, a
  tag on the role, and the page's own policy document (which grants s3:PutObject and
  the others on the bucket itself, where the spec grants them on its objects).
Cases are named live/<what>.

Prints PASS<TAB>case or FAIL<TAB>case<TAB>why, one line per case (scripts/conformance
records them as the check `adoption`).
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile


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
        account = re.search(r'^account_id: "?(\d{12})"?$', open(os.path.join(d, "spec.yaml")).read(), re.M)
        for item in items:
            arn = item["ResourceIdentifier"].get("PolicyArn")
            if arn is not None and not (account and re.fullmatch(rf"arn:[a-z-]+:iam::{account[1]}:policy/\S+", arn)):
                why.append(f"{item['LogicalResourceId']}: PolicyArn {arn} is not a policy of the spec's account_id")
        if sorted(mapping) != sorted(i["LogicalResourceId"] for i in items):
            why.append("the CDK's resource mapping and the resources to import name other resources")
        hcl = open(os.path.join(d, "terraform-imports.tf")).read()
        to_hcl = re.findall(r"^\s*to = (\S+)$", hcl, re.M)
        to_json = [i["to"] for i in json.load(open(os.path.join(d, "terraform-imports.tf.json")))["import"]]
        if to_hcl != to_json or not to_hcl:
            why.append("terraform-imports.tf and terraform-imports.tf.json import different resources")
        print(f"FAIL\t{case}\t{'; '.join(why)}" if why else f"PASS\t{case}")


EC2_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
REGION_BUCKETS = ["aws-ssm-{r}", "aws-windows-downloads-{r}", "amazon-ssm-{r}", "amazon-ssm-packages-{r}", "{r}-birdwatcher-prod", "patch-baseline-snapshot-{r}"]
AGENT = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [f"arn:aws:s3:::{b.format(r='us-east-2')}/*" for b in REGION_BUCKETS]}
# The setup page's policy, as written there (Task 1, step 3), for us-east-2.
PAGE_POLICY = {"Version": "2012-10-17", "Statement": [AGENT, {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl", "s3:GetEncryptionConfiguration"], "Resource": ["arn:aws:s3:::my-bucket-name/*", "arn:aws:s3:::my-bucket-name"]}]}
# The same grants as the spec makes them: object actions on objects, the bucket's
# encryption setting on the bucket.
SPEC_POLICY = {"Version": "2012-10-17", "Statement": [AGENT, {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl"], "Resource": "arn:aws:s3:::my-bucket-name/*"}, {"Effect": "Allow", "Action": "s3:GetEncryptionConfiguration", "Resource": "arn:aws:s3:::my-bucket-name"}]}
MANAGED = ["AmazonSSMManagedInstanceCore", "AmazonSSMDirectoryServiceAccess", "CloudWatchAgentServerPolicy"]


def live(endpoint, ssm_profile, spec):
    import boto3  # moto's venv has it

    def fresh():
        # moto server's reset endpoint: each case starts from an empty account.
        import urllib.request
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()
        return boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")

    def console(iam, document):
        iam.create_role(RoleName="SSMInstanceProfile", AssumeRolePolicyDocument=json.dumps(EC2_TRUST), Description="Allows EC2 instances to call AWS services on your behalf.")
        arn = iam.create_policy(PolicyName="SSMInstanceProfileS3Policy", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
        for name in MANAGED:
            iam.attach_role_policy(RoleName="SSMInstanceProfile", PolicyArn=f"arn:aws:iam::aws:policy/{name}")
        iam.attach_role_policy(RoleName="SSMInstanceProfile", PolicyArn=arn)
        iam.create_instance_profile(InstanceProfileName="SSMInstanceProfile")
        iam.add_role_to_instance_profile(InstanceProfileName="SSMInstanceProfile", RoleName="SSMInstanceProfile")

    def drift(iam):
        merged = {}
        for page in iam.get_paginator("get_account_authorization_details").paginate(Filter=["Role", "LocalManagedPolicy"]):
            for key, value in page.items():
                if isinstance(value, list):
                    merged.setdefault(key, []).extend(value)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(merged, f, default=str)
        run = subprocess.run([ssm_profile, "--message-format", "json", "drift", spec, "--live", f.name], capture_output=True, text=True)
        os.unlink(f.name)
        found = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
        return run.returncode, [x for x in found if x.get("kind") != "not-compared"], run.stderr

    plants = {
        "as-the-spec": (SPEC_POLICY, None, 0, []),
        "extra-managed-policy": (SPEC_POLICY, lambda iam: iam.attach_role_policy(RoleName="SSMInstanceProfile", PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), 1, ["AmazonS3ReadOnlyAccess"]),
        "tag": (SPEC_POLICY, lambda iam: iam.tag_role(RoleName="SSMInstanceProfile", Tags=[{"Key": "owner", "Value": "console"}]), 1, ["owner"]),
        "page-policy": (PAGE_POLICY, None, 1, ["s3:PutObject"]),
    }
    for case, (document, plant, code, words) in plants.items():
        iam = fresh()
        console(iam, document)
        if plant:
            plant(iam)
        got, findings, stderr = drift(iam)
        text = json.dumps(findings)
        why = []
        if case == "as-the-spec":
            # The import files as written (no edit): every identifier names what the
            # console made, the policy's ARN as IAM gives it in this account.
            folder = os.path.dirname(os.path.abspath(spec))
            for f in ("cloudformation-resources-to-import.json", "cdk-resource-mapping.json"):
                data = json.load(open(os.path.join(folder, f)))
                identifiers = [i["ResourceIdentifier"] for i in data] if isinstance(data, list) else list(data.values())
                for ident in identifiers:
                    try:
                        if "RoleName" in ident:
                            iam.get_role(RoleName=ident["RoleName"])
                        elif "PolicyArn" in ident:
                            iam.get_policy(PolicyArn=ident["PolicyArn"])
                        elif "InstanceProfileName" in ident:
                            iam.get_instance_profile(InstanceProfileName=ident["InstanceProfileName"])
                        else:
                            why.append(f"{f}: an identifier this judge does not know: {ident}")
                    except Exception as e:  # NoSuchEntity: the file names nothing that exists
                        why.append(f"{f}: {ident} does not name a resource the console made: {type(e).__name__}")
        if got != code:
            why.append(f"exit {got}, expected {code}: {stderr.strip()[:300]}")
        if code == 0 and findings:
            why.append(f"changes found: {text[:300]}")
        if code == 1 and len(findings) != 1:
            why.append(f"{len(findings)} changes found, expected the planted one: {text[:400]}")
        why += [f"{w!r} not named" for w in words if w.lower() not in text.lower()]
        print(f"FAIL\tlive/{case}\t{'; '.join(why)}" if why else f"PASS\tlive/{case}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "live":
        try:
            live(sys.argv[2], sys.argv[3], sys.argv[4])
        except Exception as e:  # moto down, boto3 missing: a failure, never a silent pass
            print(f"FAIL\tlive/(all)\t{type(e).__name__}: {str(e)[:300]}")
        sys.exit(0)
    if len(sys.argv) >= 5 and sys.argv[1] == "static":
        static(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit("usage: adoption_check.py static CFNLINT TERRAFORM FIX CASE...")
