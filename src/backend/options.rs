//! Choices that change how an output is written, never what it means.

/// Choices that change how an output is written, never what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Terraform: emit `terraform { required_providers { aws = ... } }`; off when the
    /// output is used as a module whose root pins the provider.
    pub terraform_provider_block: bool,
    /// One stack of a spec written as several (`stacks::split`, `--out-dir` only):
    /// its description and header say which.
    pub stack: Option<StackPart>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            terraform_provider_block: true,
            stack: None,
        }
    }
}

impl RenderOptions {
    /// The `build` flags that give these options, for the regenerate command.
    pub fn flags(self) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if !self.terraform_provider_block {
            flags.push("--no-provider-block");
        }
        flags
    }
}

/// One stack of a spec written as several: its number, from 1, and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackPart {
    pub n: usize,
    pub of: usize,
}
