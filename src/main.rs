// malloc and free were 30% of a fleet's instructions with the system allocator
// (BENCHMARKS.md): rendering allocates many small strings and values.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // How long freed memory stays, per phase of the run (`memory`); no other thread
    // exists yet.
    ssm_profile::memory::reading();
    let code = ssm_profile::cli::run();
    exit_without_collecting(code)
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
/// environment wins, as it does for any mimalloc program.
#[cfg(unix)]
fn reserve_smaller_arenas() {
    if std::env::var_os("MIMALLOC_ARENA_RESERVE").is_none() {
        // SAFETY: sets one of mimalloc's options (an integer read when an arena is
        // reserved), before any thread other than this one exists.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, ARENA_RESERVE_KIB);
        }
    }
}
