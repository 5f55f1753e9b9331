#!/usr/bin/env python3
"""The scanners platform teams gate IaC on, over every fixture (issue 27):

- guard: AWS CloudFormation Guard (pinned, scripts/install-tools) with the rules of
  aws-guard-rules-registry (github.com/aws-cloudformation/aws-guard-rules-registry at
  7f7340c: rules/aws/iam/ and cfn_no_explicit_resource_names.guard, unchanged, in
  scripts/guard-rules, or the folder $GUARD_RULES names) on every
  CloudFormation template (cloudformation*.json: stacks of a split spec, and each
  StackSet's TemplateBody of a rollout, taken out to a file, since Guard cannot read
  inside the string). The cfn_nag suppressions are removed first, so that Guard's own
  `Metadata.guard.SuppressedRules` is what passes; each of those must have its reason
  (cfn_nag's entry for the same finding), citing a page.
- cdk-nag-ts, cdk-nag-py: cdk-nag 2.x (AwsSolutions, pinned) as a platform team adds it
  (`Aspects.of(app).add(new AwsSolutionsChecks())`) to an app that holds each fixture's
  CDK construct (cdk.ts / cdk.py, each stack's, and the rollout's), in TypeScript and
  in Python: no unsuppressed finding, and every suppression's reason cites a page.
- cdk-nag-3-ts, cdk-nag-3-py: cdk-nag 3.x (pinned), a Validations plugin
  (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`), on the same apps:
  it reads the acknowledgments the generated code writes beside the cdk_nag metadata,
  and reports no suppression, so its violations (validation-report.json) must be
  exactly what 2.x leaves unsuppressed.

Negative cases, built with the compiler from specs written here: a spec whose
`managed_policies.additional` adds AWS managed policies keeps their findings in both
scanners, and nothing else; a spec with `scanner_suppressions: false` gets exactly the
findings that its suppressions, on, suppress (so none is superfluous).

Usage: scanner_check.py FIXTURES TOOLS SSM_PROFILE WORK
Prints `PASS<TAB>tool<TAB>case` or `FAIL<TAB>tool<TAB>case<TAB>why` lines; details on
stderr. Exit 0 when every line is PASS.
"""

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# The registry's rules as pinned in scripts/guard-rules (or another copy, GUARD_RULES).
RULES = os.environ.get("GUARD_RULES") or str(Path(__file__).resolve().parent / "guard-rules")
# The Guard rules accept cfn_nag's suppression of the same finding (the rule files say
# which ID); ours writes both, and cfn_nag's carries the reason.
GUARD_TWIN = {
    "CFN_NO_EXPLICIT_RESOURCE_NAMES": "W28",
    "IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE": "W13",
}
CITES = re.compile(r"https://\S+")

# Negative specs: what a user adds keeps its findings.
SEED = """version: 1
profiles:
  - name: SSMInstanceProfile
    managed_policies:
      directory_service: true
      cloudwatch_agent: true
    s3:
      agent_buckets: seed
      vpc_endpoint_regions: [us-east-2]
      buckets:
        - name: my-bucket-name
          encrypted: true
          cross_account: true
  - name: ssm-sessions
    session_manager:
      s3_logging:
        bucket: session-logs-111122223333
        prefix: sessions
      cloudwatch_logging: true
"""
USER_ADDED = """version: 1
profiles:
  - name: UserAdded
    managed_policies:
      additional:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
        - arn:aws:iam::aws:policy/PowerUserAccess
"""
USER_ADDED_GUARD = {"IAM_ROLE_ELEVATED_MANAGED_POLICY_RULE"}
NEGATIVE = {
    "(negative) on": SEED,
    "(negative) off": SEED.replace("version: 1\n", "version: 1\nscanner_suppressions: false\n"),
    "(negative) user-added": USER_ADDED,
}

results = []


def report(ok, tool, case, why=""):
    results.append(ok)
    print(f"PASS\t{tool}\t{case}" if ok else f"FAIL\t{tool}\t{case}\t{why}", flush=True)


def details(*lines):
    for line in lines:
        print(f"  {line}", file=sys.stderr)


# ---- Guard --------------------------------------------------------------------------


def templates_of(case_dir, work):
    """(name, template) for every CloudFormation template of a fixture."""
    out = []
    for f in sorted(case_dir.glob("cloudformation*.json")):
        t = json.loads(f.read_text())
        if not isinstance(t, dict) or "Resources" not in t:
            continue  # the adoption's resources-to-import list is no template
        stack_sets = {
            k: r
            for k, r in t.get("Resources", {}).items()
            if r.get("Type") == "AWS::CloudFormation::StackSet"
        }
        if not stack_sets:
            out.append((f.name, t))
        for k, r in stack_sets.items():
            out.append((f"{f.name}:{k}", json.loads(r["Properties"]["TemplateBody"])))
    return out


def reasons_missing(template):
    """Guard suppressions without their reason."""
    missing = []
    for k, r in template.get("Resources", {}).items():
        meta = r.get("Metadata", {})
        twins = {
            e.get("id"): e.get("reason", "")
            for e in meta.get("cfn_nag", {}).get("rules_to_suppress", [])
        }
        for rule in meta.get("guard", {}).get("SuppressedRules", []):
            reason = twins.get(GUARD_TWIN.get(rule))
            if not reason or not CITES.search(reason):
                missing.append(f"{k}: {rule} has no reason citing a page")
    return missing


def guard_failures(guard, template, path):
    """The Guard rules that fail on `template` with cfn_nag's suppressions removed."""
    for r in template.get("Resources", {}).values():
        r.get("Metadata", {}).pop("cfn_nag", None)
    path.write_text(json.dumps(template, indent=1))
    run = subprocess.run(
        [guard, "validate", "-d", str(path), "-r", str(RULES), "--show-summary", "fail"],
        capture_output=True,
        text=True,
    )
    failed = set(re.findall(r"\.guard/(\S+)\s+FAIL", run.stdout))
    if run.returncode not in (0, 19) or (run.returncode == 19) != bool(failed):
        failed.add(f"(cfn-guard exit {run.returncode}: {run.stderr.strip()[:200]})")
    return failed


def judge_guard(guard, cases, work):
    if not RULES or not list(Path(RULES).glob("*.guard")):
        report(False, "guard", "(all)", f"no Guard rules in GUARD_RULES={RULES!r}: set it to a folder of the aws-guard-rules-registry rules")
        return
    expected = {"(negative) user-added": USER_ADDED_GUARD}
    for case, case_dir in cases:
        templates = templates_of(case_dir, work)
        if not templates:
            continue
        problems = []
        seen = set()
        for i, (name, t) in enumerate(templates):
            problems += [f"{name}: {m}" for m in reasons_missing(t)]
            failed = guard_failures(guard, t, work / f"guard-{re.sub(r'[^A-Za-z0-9]+', '-', case)}-{i}.json")
            seen |= failed
            if case not in expected and not suppressions_off(case_dir) and failed:
                problems.append(f"{name}: unsuppressed: {', '.join(sorted(failed))}")
        if case in expected and seen != expected[case]:
            problems.append(f"expected exactly {sorted(expected[case])}, got {sorted(seen)}")
        if suppressions_off(case_dir) and not {
            "CFN_NO_EXPLICIT_RESOURCE_NAMES",
            "IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE",
        } <= seen:
            problems.append(f"scanner_suppressions: false should leave the findings; got {sorted(seen)}")
        if problems:
            report(False, "guard", case, problems[0])
            details(*(f"{case}: {p}" for p in problems))
        else:
            report(True, "guard", case)


# ---- cdk-nag ---------------------------------------------------------------------------


def modules_of(case_dir, ext):
    """The construct modules of a fixture (not the apps, which embed the same class)."""
    return [
        f
        for f in sorted(case_dir.glob(f"cdk*.{ext}"))
        if "-app" not in f.name
    ]


def nag_outcome(outdir):
    """(unsuppressed findings, suppressed findings, suppressions without a cited reason)."""
    found = set()
    for meta in outdir.glob("*.metadata.json"):
        for entries in json.loads(meta.read_text()).values():
            for e in entries:
                if e.get("type") in ("aws:cdk:error", "aws:cdk:warn") and str(e.get("data", "")).startswith("AwsSolutions-"):
                    found.add(re.match(r"AwsSolutions-[\w]+(\[[^\]]*\])?", str(e["data"])).group(0))
    suppressed, bare = set(), []
    for report_csv in outdir.glob("AwsSolutions-*NagReport.csv"):
        with open(report_csv, newline="") as f:
            for row in csv.DictReader(f):
                if row["Compliance"] != "Suppressed":
                    continue
                m = re.match(r"\[([^\]]*)\] (.*)", row["Exception Reason"], re.S)
                finding, reason = (m.group(1), m.group(2)) if m else ("", row["Exception Reason"])
                suppressed.add(f"{row['Rule ID']}[{finding}]")
                if not CITES.search(reason):
                    bare.append(f"{row['Rule ID']}[{finding}] on {row['Resource ID']}")
    return found, suppressed, bare


def spec_of(case_dir):
    import yaml  # PyYAML: the hcl2 venv of scripts/install-tools (JSON is YAML too)

    spec_file = case_dir / "spec.yaml"
    if not spec_file.exists():
        spec_file = case_dir / "spec.json"
    return yaml.safe_load(spec_file.read_text())


def suppressions_off(case_dir):
    return spec_of(case_dir).get("scanner_suppressions") is False


def user_added(case_dir):
    """The findings cdk-nag keeps by design: an AWS managed policy the spec lists itself."""
    spec = spec_of(case_dir)
    found = set()
    for p in spec.get("profiles", []):
        for arn in (p.get("managed_policies") or {}).get("additional", []):
            m = re.match(r"arn:[^:]+:iam::aws:policy/(.+)$", arn)
            if m:
                found.add(f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{m.group(1)}]")
    return found


def nag3_outcome(outdir):
    """cdk-nag 3.x: (violations, nothing, nothing): acknowledged findings are not reported."""
    found = set()
    for report_json in outdir.glob("*validation-report.json"):
        for plugin in json.loads(report_json.read_text()).get("pluginReports", []):
            for v in plugin.get("violations", []):
                if v["ruleName"].startswith("AwsSolutions-"):
                    found.add(v["ruleName"])
    return found, set(), []


def judge_nag(tool, outcomes, case_dirs, outcome=nag_outcome, on_suppressed=None):
    """Returns what 2.x suppressed in the `(negative) on` case (which 3.x, reporting no
    suppression, must report exactly in the `(negative) off` case)."""
    if on_suppressed is None:
        on_suppressed = set()
        for outdir in outcomes.get("(negative) on", []):
            on_suppressed |= outcome(outdir)[1]
    for case, outdirs in outcomes.items():
        problems = []
        found, suppressed = set(), set()
        for outdir in outdirs:
            if not list(outdir.glob("*.template.json")):
                problems.append(f"{outdir.name}: not synthesized (see the log)")
                continue
            f, s, bare = outcome(outdir)
            found |= f
            suppressed |= s
            problems += [f"suppression without a reason citing a page: {b}" for b in bare]
        if suppressions_off(case_dirs[case]) and case != "(negative) off":
            if not found or suppressed:
                problems.append(f"scanner_suppressions: false should leave findings and no suppression; got {len(found)} findings, {len(suppressed)} suppressed")
        elif case == "(negative) off":
            wanted = on_suppressed
            if not wanted or found != wanted or suppressed:
                problems.append(
                    f"scanner_suppressions: false should give exactly what the suppressions cover; missing {sorted(wanted - found)}, extra {sorted(found - wanted)}"
                )
        else:
            kept = user_added(case_dirs[case])
            if case == "(negative) user-added" and not kept:
                problems.append("the negative case lists no AWS managed policy")
            if found != kept:
                problems.append(
                    f"unsuppressed: {', '.join(sorted(found - kept)) or 'none'}; the spec's own AWS managed policies unreported: {', '.join(sorted(kept - found)) or 'none'}"
                )
        if problems:
            report(False, tool, case, problems[0])
            details(*(f"{case}: {p}" for p in problems))
        else:
            report(True, tool, case)
    return on_suppressed


# How a platform team adds each major version of cdk-nag to an app, in each language.
NAG_TS = {
    2: "Aspects.of(app).add(new AwsSolutionsChecks({ reports: true }));",
    3: "Validations.of(app).addPlugins(new AwsSolutionsChecks(app));",
}
NAG_PY = {
    2: "Aspects.of(app).add(AwsSolutionsChecks(reports=True))",
    3: "Validations.of(app).add_plugins(AwsSolutionsChecks(app))",
}


def ts_outcomes(tools, cases, work, env, major=2):
    ts = work / f"ts{major}"
    (ts / "src").mkdir(parents=True)
    os.symlink(tools / "npm" / "node_modules", ts / "node_modules")
    keys = {}
    for case, case_dir in cases:
        for i, m in enumerate(modules_of(case_dir, "ts")):
            key = f"m{len(keys)}"
            (ts / "src" / key).mkdir()
            (ts / "src" / key / "lib.ts").write_text(m.read_text())
            keys[key] = (case, m.stem)
    (ts / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "node16",
                    "moduleResolution": "node16",
                    "strict": True,
                    "skipLibCheck": True,
                    "types": ["node"],
                    "rootDir": "src",
                    "outDir": "dist",
                },
                "include": ["src"],
            }
        )
    )
    (ts / "run.js").write_text(
        """const path = require('path');
const { App, Aspects, Stack, Validations } = require('aws-cdk-lib');
const { AwsSolutionsChecks } = require('cdk-nag');
const [outRoot, ...keys] = process.argv.slice(2);
for (const k of keys) {
  try {
    const m = require(path.join(__dirname, 'dist', k, 'lib.js'));
    const Construct = m.SsmProfiles || m.SsmProfilesRollout;
    const app = new App({ outdir: path.join(outRoot, k) });
    new Construct(new Stack(app, 'S'), 'P');
    NAG;
    app.synth();
  } catch (e) {
    console.error(`${k}: ${e.stack}`);
  }
}
""".replace("NAG;", NAG_TS[major])
    )
    subprocess.run([str(ts / "node_modules" / ".bin" / "tsc"), "-p", str(ts)], env=env, check=False, stdout=sys.stderr)
    out = work / f"out-ts{major}"
    subprocess.run(["node", str(ts / "run.js"), str(out), *keys], env=env, check=False, stdout=sys.stderr)
    return group(keys, out)


def py_outcomes(tools, cases, work, env, major=2):
    py = work / f"py{major}"
    py.mkdir()
    keys = {}
    for case, case_dir in cases:
        for m in modules_of(case_dir, "py"):
            key = f"m{len(keys)}"
            (py / f"{key}.py").write_text(m.read_text())
            keys[key] = (case, m.stem)
    (py / "run.py").write_text(
        """import os, runpy, sys, traceback
from aws_cdk import App, Aspects, Stack, Validations
from cdk_nag import AwsSolutionsChecks
here = os.path.dirname(os.path.abspath(__file__))
out_root, keys = sys.argv[1], sys.argv[2:]
for k in keys:
    try:
        m = runpy.run_path(os.path.join(here, k + ".py"), run_name="ssm_profiles")
        construct = m.get("SsmProfiles") or m.get("SsmProfilesRollout")
        app = App(outdir=os.path.join(out_root, k))
        construct(Stack(app, "S"), "P")
        NAG
        app.synth()
    except Exception:
        print(f"{k}: {traceback.format_exc()}", file=sys.stderr)
""".replace("NAG", NAG_PY[major])
    )
    venv = "cdk-nag-python" if major == 2 else f"cdk-nag-{major}-python"
    python = tools / "venv" / venv / "bin" / "python"
    out = work / f"out-py{major}"
    subprocess.run([str(python), str(py / "run.py"), str(out), *keys], env=env, check=False, stdout=sys.stderr)
    return group(keys, out)


def group(keys, out_root):
    outcomes = {}
    for key, (case, _) in keys.items():
        outcomes.setdefault(case, []).append(out_root / key)
    return outcomes


def main():
    fixtures, tools, compiler, work = (Path(a).resolve() for a in sys.argv[1:5])
    work.mkdir(parents=True, exist_ok=True)
    cases = []
    for d in sorted(fixtures.iterdir()):
        if d.is_dir() and d.name != "invalid" and ((d / "spec.yaml").exists() or (d / "spec.json").exists()):
            cases.append((d.name, d))
    for case, spec in NEGATIVE.items():
        d = work / "negative" / re.sub(r"[^a-z-]+", "", case.split(") ")[1])
        d.mkdir(parents=True)
        (d / "spec.yaml").write_text(spec)
        for target, args, name in [
            ("cloudformation", [], "cloudformation.json"),
            ("cdk", [], "cdk.ts"),
            ("cdk", ["--language", "python"], "cdk.py"),
        ]:
            subprocess.run(
                [str(compiler), "build", str(d / "spec.yaml"), "--target", target, *args, "-o", str(d / name), "--quiet"],
                check=True,
            )
        cases.append((case, d))
    env = dict(os.environ, CDK_VALIDATION="false", JSII_DEPRECATED="quiet", JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1")
    env["PATH"] = f"{tools / 'node' / 'package' / 'bin'}:{env['PATH']}"
    # cdk-nag is installed without its peers: it takes aws-cdk-lib from .tools/npm.
    env["NODE_PATH"] = f"{tools / 'npm' / 'node_modules'}:{tools / 'cdk-nag' / 'node_modules'}"
    env3 = dict(env, NODE_PATH=f"{tools / 'npm' / 'node_modules'}:{tools / 'cdk-nag-3' / 'node_modules'}")
    judge_guard(str(tools / "cfn-guard" / "bin" / "cfn-guard"), cases, work)
    case_dirs = dict(cases)
    on_ts = judge_nag("cdk-nag-ts", ts_outcomes(tools, cases, work, env), case_dirs)
    on_py = judge_nag("cdk-nag-py", py_outcomes(tools, cases, work, env), case_dirs)
    judge_nag("cdk-nag-3-ts", ts_outcomes(tools, cases, work, env3, 3), case_dirs, nag3_outcome, on_ts)
    judge_nag("cdk-nag-3-py", py_outcomes(tools, cases, work, env, 3), case_dirs, nag3_outcome, on_py)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
