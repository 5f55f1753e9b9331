//! The CDK's names for the CloudFormation resources `impact` reports. The CDK app
//! deploys the same stacks, but its users know a resource by its construct path
//! (`SsmProfileStack/SsmProfiles/WebRole`, what `cdk diff` prints beside the logical
//! ID the CDK synthesizes from that path), not by the logical ID of
//! cloudformation.json. Read from the generated TypeScript app, as `build --out-dir`
//! writes it, so a path is named only where the app really has that construct.

use std::collections::BTreeSet;

/// One CDK stack of the app: its construct path prefix (stack ID, then the ID of
/// the construct that holds the resources) and the construct IDs inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct CdkStack {
    prefix: String,
    ids: BTreeSet<String>,
}

impl CdkStack {
    /// Reads `app` (a generated `cdk-app.ts` or `cdk-rollout-app.ts`), whose stack
    /// holds one instance of `class`.
    pub fn read(app: &str, class: &str) -> Option<CdkStack> {
        let stack = quoted_after(app, "new Stack", "app").into_iter().next()?;
        let holder = quoted_after(app, &format!("new {class}"), "stack")
            .into_iter()
            .next()?;
        Some(CdkStack {
            prefix: format!("{stack}/{holder}"),
            ids: quoted_after(app, "", "this").into_iter().collect(),
        })
    }

    /// The construct path of the resource whose CloudFormation logical ID is
    /// `logical_id`, when the app has a construct of that ID.
    pub fn path(&self, logical_id: &str) -> Option<String> {
        self.ids
            .contains(logical_id)
            .then(|| format!("{}/{logical_id}", self.prefix))
    }
}

/// The first argument, a single-quoted literal, of each call of `callee` (any call
/// when empty) whose scope argument is `scope`, without its quotes: `new Stack(app,
/// 'Id'` gives `Id`. The generated code may break the line inside the call.
/// Construct IDs are identifiers, so no escape is read.
fn quoted_after(text: &str, callee: &str, scope: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('(') {
        if !text[..at].ends_with(callee) {
            continue;
        }
        let literal = text[at + 1..]
            .trim_start()
            .strip_prefix(scope)
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix(','))
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('\''))
            .and_then(|r| r.split_once('\''));
        if let Some((id, _)) = literal {
            out.push(id.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_whether_or_not_the_line_is_broken() {
        let app = "const stack = new Stack(app, 'SsmProfileStack-2', {\n});\n\
            this.webRole = new iam.Role(this, 'WebRole', {\n\
            this.longPolicy = new iam.ManagedPolicy(\n      this,\n      'LongPolicy',\n\
            const profiles = new SsmProfiles(stack, 'SsmProfiles');\n";
        let s = CdkStack::read(app, "SsmProfiles").unwrap();
        assert_eq!(
            s.path("WebRole").as_deref(),
            Some("SsmProfileStack-2/SsmProfiles/WebRole")
        );
        assert_eq!(
            s.path("LongPolicy").as_deref(),
            Some("SsmProfileStack-2/SsmProfiles/LongPolicy")
        );
        assert_eq!(s.path("Absent"), None);
        assert_eq!(CdkStack::read("no app here", "SsmProfiles"), None);
    }
}
