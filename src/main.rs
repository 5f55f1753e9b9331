// malloc and free were 30% of a fleet's instructions with the system allocator
// (BENCHMARKS.md): rendering allocates many small strings and values.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(ssm_profile::cli::run());
}

/// Rust's runtime reopens a closed stdout or stderr on /dev/null before `main`, which
/// would make `ssm-profile build ... >&-` print nothing and exit 0. An initialiser
/// runs before the runtime does and records which streams were closed, so the
/// program can report it (`cli::note_closed_streams`).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STREAMS: extern "C" fn() = note_closed_streams;

#[cfg(target_vendor = "apple")]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static NOTE_CLOSED_STREAMS: extern "C" fn() = note_closed_streams;

#[cfg(unix)]
extern "C" fn note_closed_streams() {
    ssm_profile::cli::note_closed_streams();
}
