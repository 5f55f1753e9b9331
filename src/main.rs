fn main() {
    std::process::exit(ssm_profile::cli::run());
}
