//! Buffers of generated files, handed back once their file is written and taken
//! again by the next file to render.
//!
//! A fleet's files are a megabyte or two each (a CDK stack's module and app, a
//! CloudFormation stack), and a fleet of 1,000 profiles writes 240 of them. Each
//! buffer freed after its file was written went back to the allocator, which handed
//! its pages back to the system 10 ms later (`main.rs`, `PURGE_DELAY_MS`, which keeps
//! the peak low); the next file's buffer then touched fresh pages again, a page fault
//! per 4 KiB: 120,000 of them for the fleet, a third of its CPU time spent in the
//! kernel (BENCHMARKS.md, issue 26). A buffer kept here keeps its pages, and a few
//! kept buffers are the memory the files being rendered ahead hold anyway.
//!
//! Which buffer a file gets never shows in its bytes: a buffer is cleared before it
//! is handed out, and only its capacity is reused.

use std::sync::Mutex;

/// How many buffers are kept: as many as the files of one stack of two outputs
/// rendered together (a CDK module and its app) on each of two threads.
const KEPT: usize = 4;

/// Buffers smaller than this are not worth keeping: the allocator reuses small
/// blocks without the system.
const SMALLEST_KEPT: usize = 64 << 10;

/// Buffers larger than this are freed: a whole Terraform module of a fleet (26 MB)
/// kept would be memory no other file needs.
pub const LARGEST_KEPT: usize = 4 << 20;

/// Buffers kept for reuse: the process's (`KEPT_BUFFERS`), or a test's own.
struct Kept(Mutex<Pool>);

struct Pool {
    kept: Vec<String>,
    /// How many whole outputs' buffers (larger than `LARGEST_KEPT`) are out. While
    /// one is, nothing is kept: the stacks or pieces still rendering beside a fleet's
    /// Terraform JSON (28 MB) handed four buffers of 3.6 MB back to the list its
    /// start had emptied, and they were resident at the build's peak.
    whole_out: usize,
}

static KEPT_BUFFERS: Kept = Kept::new();

/// An empty buffer with room for at least `bytes`: the smallest kept buffer that
/// has that room, else the largest kept one grown to it, else a new one. A buffer
/// larger than any kept is for a whole output (a fleet's Terraform module), which
/// renders after the stacks and is a fleet's peak of memory: the kept buffers are
/// freed first, as no stack's file is left to take them.
pub fn with_capacity(bytes: usize) -> String {
    KEPT_BUFFERS.take(bytes)
}

/// Hands back the buffer of a file that has been written (or compared): kept for
/// the next file if it is worth keeping and there is room, freed otherwise.
pub fn give_back(buffer: String) {
    KEPT_BUFFERS.give(buffer);
}

impl Kept {
    const fn new() -> Kept {
        Kept(Mutex::new(Pool {
            kept: Vec::new(),
            whole_out: 0,
        }))
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    #[cfg(test)]
    fn list(&self) -> Vec<usize> {
        self.pool().kept.iter().map(String::capacity).collect()
    }

    /// `with_capacity`.
    fn take(&self, bytes: usize) -> String {
        let taken = {
            let mut pool = self.pool();
            if bytes > LARGEST_KEPT {
                pool.kept.clear();
                pool.whole_out += 1;
                return String::with_capacity(bytes);
            }
            let kept = &mut pool.kept;
            let fitting = kept
                .iter()
                .enumerate()
                .filter(|(_, b)| b.capacity() >= bytes)
                .min_by_key(|(_, b)| b.capacity())
                .map(|(i, _)| i);
            let largest = || {
                kept.iter()
                    .enumerate()
                    .max_by_key(|(_, b)| b.capacity())
                    .map(|(i, _)| i)
            };
            fitting.or_else(largest).map(|i| kept.swap_remove(i))
        };
        match taken {
            Some(mut buffer) => {
                buffer.clear();
                buffer.reserve(bytes);
                buffer
            }
            None => String::with_capacity(bytes),
        }
    }

    /// `give_back`.
    fn give(&self, buffer: String) {
        let mut pool = self.pool();
        if buffer.capacity() > LARGEST_KEPT {
            pool.whole_out = pool.whole_out.saturating_sub(1);
            return;
        }
        if buffer.capacity() < SMALLEST_KEPT || pool.whole_out > 0 {
            return;
        }
        let kept = &mut pool.kept;
        if kept.len() < KEPT {
            kept.push(buffer);
            return;
        }
        // Full: keep the larger buffers, which save the most faults.
        if let Some((i, _)) = kept
            .iter()
            .enumerate()
            .min_by_key(|(_, b)| b.capacity())
            .filter(|(_, b)| b.capacity() < buffer.capacity())
        {
            kept[i] = buffer;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A list of its own: the process's is shared with every test that renders.
    #[test]
    fn a_buffer_handed_back_is_taken_again_empty_and_only_worth_keeping_ones_are() {
        let own = Kept::new();
        let give_back = |b| own.give(b);
        let with_capacity = |bytes| own.take(bytes);
        let mut big = String::with_capacity(SMALLEST_KEPT * 2);
        big.push_str("the bytes of a written file");
        let at = big.as_ptr();
        give_back(big);
        let again = with_capacity(100);
        assert_eq!(again.as_ptr(), at, "the kept buffer is reused");
        assert!(again.is_empty(), "a reused buffer starts empty: {again:?}");
        assert!(again.capacity() >= SMALLEST_KEPT * 2);

        // Too small and too large ones are freed, not kept.
        give_back(String::with_capacity(SMALLEST_KEPT / 2));
        give_back(String::with_capacity(LARGEST_KEPT + 1));
        assert!(own.list().is_empty());

        // Full: the smallest kept gives way to a larger one; never more than KEPT.
        let sizes = [1, 2, 3, 4].map(|n| SMALLEST_KEPT * n);
        for s in sizes {
            give_back(String::with_capacity(s));
        }
        give_back(String::with_capacity(SMALLEST_KEPT * 5));
        give_back(String::with_capacity(SMALLEST_KEPT / 2 * 3));
        let mut kept: Vec<_> = own.list().iter().map(|c| c / SMALLEST_KEPT).collect();
        kept.sort();
        assert_eq!(kept, [2, 3, 4, 5]);

        // The smallest that fits is taken; a request larger than all (but not larger
        // than a kept buffer may be) grows the largest.
        assert_eq!(
            with_capacity(SMALLEST_KEPT * 3).capacity() / SMALLEST_KEPT,
            3
        );
        let grown = with_capacity(SMALLEST_KEPT * 9);
        assert!(grown.capacity() >= SMALLEST_KEPT * 9);
        let left: Vec<_> = own.list().iter().map(|c| c / SMALLEST_KEPT).collect();
        own.pool().kept.clear();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(
            !left.contains(&5),
            "the largest was taken to grow: {left:?}"
        );

        // A whole output's buffer frees every kept one, and while it is out no
        // buffer is kept; once it is back, they are again.
        give_back(String::with_capacity(SMALLEST_KEPT));
        let whole = with_capacity(LARGEST_KEPT + 1);
        assert!(whole.capacity() > LARGEST_KEPT);
        assert!(own.list().is_empty());
        give_back(String::with_capacity(SMALLEST_KEPT));
        assert!(own.list().is_empty(), "kept beside a whole output");
        give_back(whole);
        give_back(String::with_capacity(SMALLEST_KEPT));
        assert_eq!(own.list(), [SMALLEST_KEPT]);
    }
}
