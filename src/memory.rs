//! How long the allocator (mimalloc, `main.rs`) keeps memory a phase freed before it
//! hands it back to the system, set per phase of a run. This module imports nothing
//! from the crate: it sits below every layer.
//!
//! Reading a spec frees a lot that rendering never reuses: the parser's tokens and
//! events, tens of megabytes for a hostile megabyte of flow-style YAML. Kept resident
//! for mimalloc 3's default second, they made that spec peak at 117 MB instead of 68
//! MB (BENCHMARKS.md, "The worst inputs under the 1 MiB cap"): while reading, freed
//! memory goes back after 10 ms.
//!
//! Rendering frees and allocates the same sizes over and over (each stack's contexts
//! and file): memory handed back after 10 ms was faulted in again, page by page, by
//! the next stack: 74,000-80,000 page faults and 0.5 s of system time for the
//! 1,000-profile fleet. Once every spec is read, freed memory stays 100 ms: 49,000
//! faults, and a peak of 84-86 MB instead of 82-84 MB. 250 ms gave 35,000 faults but
//! peaks of 88-95 MB: the faster a run, the less it has given back when its largest
//! file renders, so the peak depends on the machine (BENCHMARKS.md, issue 26).
//!
//! A delay set in the environment (`MIMALLOC_PURGE_DELAY`) wins, as it does for any
//! mimalloc program. This program's mimalloc is built to read no option from the
//! environment (`MI_NO_GETENV`, `.cargo/config.toml`: its scan of every variable for
//! each of its 47 options was 5% of the seed's time), so the two options the program
//! sets are read here, as mimalloc would read them (`from_environment`). The
//! library's own tests run on the system allocator, where setting mimalloc's option
//! changes nothing.

/// The program's allocator (`main.rs`): mimalloc, asked for plain blocks when the
/// alignment is one every block has (as Rust's own `System` allocator asks malloc).
/// The `mimalloc` crate asks for every block through mimalloc's aligned calls, which
/// take a longer path to the same blocks: the seed spec's 3,500 allocations and 380
/// reallocations were 2,547 K instructions there, 2,429 K here (BENCHMARKS.md,
/// issue 26).
pub struct Allocator;

/// The alignment of every block of mimalloc's: its block sizes are whole machine
/// words, and a page's first block is 16-aligned (`MI_PAGE_MIN_START_BLOCK_ALIGN`,
/// mimalloc 3's types.h). A 24-byte block may be only 8-aligned, so a request for 16
/// goes the aligned way.
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

fn plain(align: usize) -> bool {
    align <= PLAIN_ALIGN
}

// SAFETY: each call is mimalloc's for the same request: a plain call only where its
// blocks have the alignment asked for (`plain`), the aligned call otherwise, and
// every block is mimalloc's, so `mi_free` and `mi_realloc` take any of them.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: mimalloc takes any size and a power-of-two alignment (`Layout`'s).
        unsafe {
            if plain(layout.align()) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: as `alloc`.
        unsafe {
            if plain(layout.align()) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` is a block of mimalloc's (`GlobalAlloc`'s contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` is a block of mimalloc's; the new block has the alignment the
        // old one was asked for (`plain`).
        unsafe {
            if plain(layout.align()) {
                mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

/// Milliseconds freed memory stays while specs are read (mimalloc 2's default).
pub const READING_PURGE_DELAY_MS: i64 = 10;

/// Milliseconds freed memory stays once every spec is read and files render.
pub const RENDERING_PURGE_DELAY_MS: i64 = 100;

/// `mi_option_purge_delay` of mimalloc.h (version 3, as libmimalloc-sys 0.1.49
/// bundles it; checked with gcc against that header), which the crate names no
/// constant for: the option just before `mi_option_use_numa_nodes`. The assertion
/// stops the build if a new mimalloc numbers that one otherwise.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(libmimalloc_sys::mi_option_use_numa_nodes == MI_OPTION_PURGE_DELAY + 1);

/// mimalloc stores an option with a plain write: every read and write of it from here
/// goes through this lock (a library's tests render on several threads at once; the
/// program sets it before its rendering threads start, when it is the only thread).
static OPTION: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Before the first spec is read: the reading phase's delay. Call it before the
/// allocator is used from another thread.
pub fn reading() {
    set_purge_delay(READING_PURGE_DELAY_MS);
}

/// Once every spec is read, before files render: the rendering phase's delay. Call it
/// before the rendering threads start.
pub fn rendering() {
    set_purge_delay(RENDERING_PURGE_DELAY_MS);
}

/// Hands every page freed so far back to the system now, whatever the delay: after a
/// whole output's file (a fleet's 26 MB Terraform module) has been written or compared, which the
/// next whole output would otherwise render beside for the rendering phase's delay
/// (a fleet's peak rose from 82-84 MB to 85-100 MB), and before the first whole file
/// starts, which the stacks' freed memory would otherwise be resident beside (90-100
/// MB against 88-93 MB, BENCHMARKS.md). Any thread may call it.
pub fn return_freed() {
    #[cfg(test)]
    RETURNED_HERE.with(|n| n.set(n.get() + 1));
    // SAFETY: mimalloc's collection, which it allows from any thread at any time.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

#[cfg(test)]
thread_local! {
    /// How many times this thread called `return_freed` (tests of who calls it).
    pub(crate) static RETURNED_HERE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn set_purge_delay(ms: i64) {
    set_purge_delay_locked(&OPTION.lock().unwrap_or_else(|p| p.into_inner()), ms);
}

fn set_purge_delay_locked(_only: &std::sync::MutexGuard<()>, ms: i64) {
    let ms = from_environment("MIMALLOC_PURGE_DELAY", Unit::Number).unwrap_or(ms);
    // SAFETY: sets one of mimalloc's options, an integer it reads when it schedules
    // a purge; the callers run before any other thread allocates through mimalloc,
    // and the lock keeps this crate's own calls apart.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms as std::ffi::c_long);
    }
}

/// How mimalloc reads an option's value.
#[derive(Clone, Copy)]
pub enum Unit {
    /// An integer (`TRUE`, `YES`, `ON` or nothing for 1; `FALSE`, `NO`, `OFF` for 0).
    Number,
    /// A size in KiB: bytes (rounded up), or a number with `K`, `M`, `G` or `T`,
    /// then `IB` or `B` or nothing (`64MiB`).
    KiB,
}

/// Option `name`'s value in the environment, read as mimalloc 3 reads it
/// (`mi_option_init` in its `options.c`, case-insensitive); `None` when unset or not
/// a value mimalloc takes, which leaves the program's own.
pub fn from_environment(name: &str, unit: Unit) -> Option<i64> {
    parse_option(&std::env::var(name).ok()?, unit)
}

fn parse_option(text: &str, unit: Unit) -> Option<i64> {
    let text = text.to_ascii_uppercase();
    match (unit, text.as_str()) {
        (Unit::Number, "" | "1" | "TRUE" | "YES" | "ON") => return Some(1),
        (Unit::Number, "0" | "FALSE" | "NO" | "OFF") => return Some(0),
        _ => {}
    }
    let digits = text
        .strip_prefix(['-', '+'])
        .unwrap_or(&text)
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let sign = text.len() - text.trim_start_matches(['-', '+']).len();
    if digits == 0 || sign > 1 {
        return None;
    }
    let (number, rest) = text.split_at(sign + digits);
    let value: i64 = number.parse().ok()?;
    match unit {
        Unit::Number => rest.is_empty().then_some(value),
        Unit::KiB => {
            let size = value.max(0);
            let (scale, rest) = match rest.as_bytes().first() {
                Some(b'K') => (1, &rest[1..]),
                Some(b'M') => (1 << 10, &rest[1..]),
                Some(b'G') => (1 << 20, &rest[1..]),
                Some(b'T') => (1 << 30, &rest[1..]),
                _ => (0, rest),
            };
            let rest = rest
                .strip_prefix("IB")
                .or_else(|| rest.strip_prefix('B'))
                .unwrap_or(rest);
            if !rest.is_empty() {
                return None;
            }
            match scale {
                0 => size.checked_add(1023).map(|s| s / 1024),
                _ => size.checked_mul(scale),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay(_only: &std::sync::MutexGuard<()>) -> i64 {
        // SAFETY: reads one of mimalloc's options, under the lock its writes take.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) as i64
        }
    }

    /// Every block has the alignment asked for, whether it came the plain way or the
    /// aligned one, through allocation, zeroed allocation and reallocation (which
    /// keeps the bytes); many blocks of each size, so that one placed at an odd word
    /// of its page shows.
    #[allow(unsafe_code)]
    #[test]
    fn the_allocators_blocks_have_the_alignment_asked_for() {
        use std::alloc::{GlobalAlloc, Layout};
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 12, 24, 40, 56, 100, 1000, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                let aligned = |p: *mut u8| !p.is_null() && (p as usize).is_multiple_of(align);
                // SAFETY: every block is used within its layout and freed once, with
                // the layout it has then.
                unsafe {
                    let blocks: Vec<*mut u8> = (0..16).map(|_| a.alloc(layout)).collect();
                    for &p in &blocks {
                        assert!(aligned(p), "{size} bytes aligned to {align}: {p:p}");
                        p.write_bytes(0xa5, size);
                    }
                    let zeroed = a.alloc_zeroed(layout);
                    assert!(aligned(zeroed));
                    assert!(
                        std::slice::from_raw_parts(zeroed, size)
                            .iter()
                            .all(|&b| b == 0)
                    );
                    a.dealloc(zeroed, layout);
                    for p in blocks {
                        let grown = a.realloc(p, layout, size * 3);
                        assert!(aligned(grown), "{size} bytes grown, aligned to {align}");
                        assert!(
                            std::slice::from_raw_parts(grown, size)
                                .iter()
                                .all(|&b| b == 0xa5)
                        );
                        let shrunk = a.realloc(
                            grown,
                            Layout::from_size_align(size * 3, align).unwrap(),
                            size.div_ceil(2),
                        );
                        assert!(aligned(shrunk));
                        a.dealloc(
                            shrunk,
                            Layout::from_size_align(size.div_ceil(2), align).unwrap(),
                        );
                    }
                }
            }
        }
    }

    /// The environment's values, as mimalloc reads them; anything else leaves the
    /// program's own.
    #[test]
    fn options_in_the_environment_read_as_mimalloc_reads_them() {
        let number = |t| parse_option(t, Unit::Number);
        assert_eq!(number("250"), Some(250));
        assert_eq!(number("-1"), Some(-1));
        assert_eq!(number("on"), Some(1));
        assert_eq!(number(""), Some(1));
        assert_eq!(number("Off"), Some(0));
        for bad in ["10ms", "ten", "1.5", "--1", " 5"] {
            assert_eq!(number(bad), None, "{bad:?}");
        }
        let kib = |t| parse_option(t, Unit::KiB);
        assert_eq!(kib("64MiB"), Some(64 << 10));
        assert_eq!(kib("1gib"), Some(1 << 20));
        assert_eq!(kib("2G"), Some(2 << 20));
        assert_eq!(kib("512kb"), Some(512));
        assert_eq!(kib("1025"), Some(2), "bytes, rounded up to KiB");
        for bad in ["64 MiB", "64MiBs", "MiB", "1X"] {
            assert_eq!(kib(bad), None, "{bad:?}");
        }
    }

    /// The option set is the one read back as mimalloc's purge delay, and rendering
    /// leaves the rendering delay (other tests render at the same time, and set
    /// that one only).
    #[test]
    fn each_phase_sets_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        {
            let only = OPTION.lock().unwrap();
            set_purge_delay_locked(&only, READING_PURGE_DELAY_MS);
            assert_eq!(delay(&only), READING_PURGE_DELAY_MS);
            set_purge_delay_locked(&only, RENDERING_PURGE_DELAY_MS);
            assert_eq!(delay(&only), RENDERING_PURGE_DELAY_MS);
        }
        rendering();
        assert_eq!(delay(&OPTION.lock().unwrap()), RENDERING_PURGE_DELAY_MS);
    }
}
