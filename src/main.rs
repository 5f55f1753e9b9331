// On glibc Linux the program starts from the C library's `main`, not Rust's
// runtime: the runtime's set-up reads /proc/self/maps to find the main thread's stack
// (glibc's `pthread_getattr_np`), which the kernel writes out line by line and the C
// library parses with sscanf, and gives every thread a signal stack. An empty Rust
// program took 1.24-1.36 ms of CPU with that set-up and 0.85-0.93 ms without it
// (BENCHMARKS.md, issue 26). `start` does what the rest of the set-up does that this
// program relies on. `std::env::args` still works: on glibc the standard library
// takes the arguments from `.init_array`, not from its runtime.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

// mimalloc, through `memory::Allocator`: malloc and free were 30% of a fleet's
// instructions with the system allocator (BENCHMARKS.md): rendering allocates many
// small strings and values.
#[global_allocator]
static ALLOCATOR: ssm_profile::memory::Allocator = ssm_profile::memory::Allocator;

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    start();
    // A panic ends the program as the runtime ends it: the panic's message (the
    // hook prints it), then exit status 101. Unwinding out of this C function would
    // abort the process instead.
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    exit_without_collecting(code)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() {
    exit_without_collecting(run())
}

fn run() -> i32 {
    // How long freed memory stays, per phase of the run (`memory`); no other thread
    // exists yet.
    ssm_profile::memory::reading();
    // Test hook (debug builds only): a panic, so that tests/terminal_safety.rs can see
    // how the entry point ends one; no input is known to panic.
    #[cfg(debug_assertions)]
    if std::env::var_os("SSM_PROFILE_PANIC").is_some() {
        panic!("SSM_PROFILE_PANIC is set");
    }
    ssm_profile::cli::run()
}

/// What Rust's runtime does before `main` that this program depends on, for the
/// entry point that skips it: a write to a closed pipe is an error the program
/// handles (`| head`), not a SIGPIPE that kills it; and a standard stream closed at
/// start (`>&-`, recorded first by `note_closed_streams`) is reopened on /dev/null,
/// so that no file the program opens takes its descriptor and receives what was
/// meant for the stream (tests/terminal_safety.rs checks both). Left out: the
/// runtime's stack-overflow message (an overflow still ends the process, by SIGSEGV
/// instead of SIGABRT) and the main thread's name in a panic message.
#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
fn start() {
    use std::ffi::{c_char, c_int};
    const SIGPIPE: c_int = 13;
    const SIG_IGN: usize = 1;
    const O_RDWR: c_int = 2;
    unsafe extern "C" {
        fn signal(signum: c_int, handler: usize) -> usize;
        fn open(path: *const c_char, flags: c_int, ...) -> c_int;
        fn abort() -> !;
    }
    // SAFETY: no other thread exists yet; `signal` with SIG_IGN installs no handler
    // code, and `open` gets a NUL-terminated path. Descriptors are reopened lowest
    // first, so each `open` takes the closed one (as Rust's runtime does); if one
    // cannot be reopened the process stops, as the runtime would.
    #[allow(unsafe_code)]
    unsafe {
        signal(SIGPIPE, SIG_IGN);
        for fd in 0..3 {
            if ssm_profile::cli::closed_at_start(fd)
                && open(c"/dev/null".as_ptr(), O_RDWR) != fd as c_int
            {
                abort();
            }
        }
    }
}

/// Ends the process as `std::process::exit` does, minus the C library's exit handlers:
/// mimalloc's is a full collection that hands every freed page back to the system
/// (38 `madvise` calls for the seed), work the kernel does anyway when the process
/// ends. stdout is the one buffer Rust's own exit would flush; stderr is unbuffered.
fn exit_without_collecting(code: i32) -> ! {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().flush();
    unsafe extern "C" {
        fn _exit(status: std::ffi::c_int) -> !;
    }
    // SAFETY: `_exit` takes any status and does not return; nothing after this
    // point needs running (no destructors are pending on this thread's stack).
    #[allow(unsafe_code)]
    unsafe {
        _exit(code)
    }
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
    reserve_smaller_arenas();
    ssm_profile::cli::note_closed_streams();
}

/// How much address space mimalloc reserves for its first arena, in KiB (64 MiB;
/// mimalloc 3's default is 1 GiB). An arena's bitmaps grow with its size, and
/// mimalloc writes to each when it reserves the arena: 42 of the seed's ~300 page
/// faults over an unchanged tree with 1 GiB, 5 with 64 MiB (BENCHMARKS.md). A run
/// that needs more reserves more arenas, mimalloc doubling their size every 8.
const ARENA_RESERVE_KIB: std::ffi::c_long = 64 << 10;

/// `mi_option_arena_reserve` of mimalloc.h (version 3, as libmimalloc-sys 0.1.49
/// bundles it; checked against that header), which the crate names no constant
/// for: three after `mi_option_max_warnings`. The assertion stops the build if a new
/// mimalloc moves the options after it.
const MI_OPTION_ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;
const _: () = assert!(
    libmimalloc_sys::mi_option_max_warnings + 3 == MI_OPTION_ARENA_RESERVE
        && libmimalloc_sys::_mi_option_last == 47
);

/// Sets the arena reserve before the first allocation reserves an arena: this runs
/// from `.init_array`, before Rust's runtime allocates. A size set in the
/// environment wins, as it does for any mimalloc program (read by `memory`: this
/// mimalloc reads no option from the environment).
#[cfg(unix)]
fn reserve_smaller_arenas() {
    use ssm_profile::memory::{Unit, from_environment};
    let kib = from_environment("MIMALLOC_ARENA_RESERVE", Unit::KiB)
        .and_then(|k| std::ffi::c_long::try_from(k).ok())
        .unwrap_or(ARENA_RESERVE_KIB);
    // SAFETY: sets one of mimalloc's options (an integer read when an arena is
    // reserved), before any thread other than this one exists.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, kib);
    }
}
