//! Rendering one spec's outputs on every core while the files are taken in the
//! units' order. The unit of work is one stack of an output that splits (one file
//! each: a fleet of 1,000 profiles is 40 stacks per CloudFormation and CDK output) or
//! a whole output otherwise; two outputs rendered together (`Target::together`: the
//! CDK's module and app of one language) are one unit per stack, of a file of each.
//! When the units were whole outputs, the thread taking the files waited for the
//! output being rendered while the other core had nothing it could start without
//! holding a whole output in memory.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::sync::{Condvar, Mutex};

use crate::backend::stacks::{SharedSplit, Stack};
use crate::backend::{GeneratedFile, Output, RenderError, RenderOptions};
use crate::diag::Error;
use crate::model::Model;
use crate::text::buffers;

/// How many units past the one being taken may render ahead (each a stack file of at
/// most 1 MB held until its turn): enough for both cores, few megabytes held.
const AHEAD: usize = 4;

/// What one thread renders at a time.
#[derive(Clone, Copy)]
enum Unit<'s> {
    /// Every file of output `i`.
    Whole(usize),
    /// The file of one stack of output `i`.
    Stack(usize, &'s Stack),
    /// The files of outputs `i` and `j` rendered together: of one stack, or (`None`)
    /// of the spec in one stack.
    Together(usize, usize, Option<&'s Stack>),
    /// Piece `k` of `of` of output `i`'s one file (`Output::pieces`), which the
    /// taking thread joins in order and takes as one file after the last, or, for
    /// a `streamed` output, hands over as it comes (`Given::Part`).
    Piece(usize, usize, usize),
}

impl Unit<'_> {
    /// The outputs whose files it gives.
    fn outputs(self) -> impl Iterator<Item = usize> {
        match self {
            Unit::Whole(i) | Unit::Stack(i, _) | Unit::Piece(i, ..) => [Some(i), None],
            Unit::Together(i, j, _) => [Some(i), Some(j)],
        }
        .into_iter()
        .flatten()
    }

    /// One stack's files (at most 1 MB of template each) or one piece of a file (a
    /// few megabytes), which the taking thread may render ahead and keep.
    fn is_small(self) -> bool {
        matches!(
            self,
            Unit::Stack(..) | Unit::Together(_, _, Some(_)) | Unit::Piece(..)
        )
    }

    /// The output whose whole file this unit renders, or a piece of it joined in
    /// memory (not `streamed`): such files (a fleet's Terraform configurations, 26
    /// and 28 MB) are held whole, one at a time.
    fn whole_file(self, outputs: &[Output], streamed: &[bool]) -> Option<usize> {
        match self {
            Unit::Whole(i) if !outputs[i].splits() => Some(i),
            Unit::Piece(i, ..) if !streamed[i] => Some(i),
            _ => None,
        }
    }
}

/// A message from the thread rendering one unit to the one taking its files.
enum Message {
    /// A file of output `.0`.
    File(usize, GeneratedFile),
    /// The unit's result, for each of its outputs.
    Done(Result<(), RenderError>),
}

/// What `render_outputs` hands `take(i, ...)` for output `i`: each of its files in
/// the output's order, then its result. The files of two outputs rendered together
/// interleave (a stack of the one, the same stack of the other).
pub(super) enum Given<'r> {
    /// A whole file.
    File(GeneratedFile),
    /// A piece of the one file of a `streamed` output, in order: the taker writes
    /// it where the file goes and keeps nothing, so the file is never whole in
    /// memory.
    Part {
        file: GeneratedFile,
        first: bool,
        last: bool,
    },
    /// The output's result, after its last file.
    Done(&'r Result<(), RenderError>),
}

pub(super) type Take<'a> = dyn FnMut(usize, Given) -> Result<(), Error> + 'a;

/// Renders every output on up to as many threads as the machine has cores (this
/// one among them), while this thread hands their files to `take` in the units'
/// order. Returns every output's result, in order; an error of `take` stops
/// everything. An output's first error is its result, and its files after it are
/// not taken (as when an output rendered whole).
///
/// Each unit has a channel with room for one stack's files and the unit's result
/// (`room`): a thread that renders a whole output ahead of the one being taken
/// waits once its channel is full, and one that rendered a stack ahead goes on to
/// the next. A whole output that does not split (Terraform: 26 and 28 MB for a
/// fleet of 1,000 profiles) starts only once every such output before it has been
/// taken, so no two of them are in memory at once, and no unit starts more than
/// `AHEAD` units past the one being taken. The pieces of a `streamed` output are
/// never joined (each goes to its file as it comes), so they are not a whole file:
/// a fleet's Terraform JSON renders on the other core while the configuration's
/// last pieces do. Threads take the units in order and this
/// thread drains them in order, so the unit this thread waits for is always being
/// rendered (no deadlock); while it waits, it renders the next stack itself and
/// keeps its file until its turn. The files' order, and so the bytes of everything,
/// does not depend on which thread finishes first.
pub(super) fn render_outputs(
    outputs: &[Output],
    model: &Model,
    spec_name: &str,
    split: &SharedSplit,
    streamed: &[bool],
    take: &mut Take,
) -> Result<Vec<Result<(), RenderError>>, Error> {
    let options = RenderOptions::default();
    let units = units(outputs, model, spec_name, options, split);
    let units = units.as_slice();
    let starts_whole = starts_of_whole_files(units, outputs, streamed);
    // The unit that gives each output's last file.
    let mut last = vec![0; outputs.len()];
    for (u, unit) in units.iter().enumerate() {
        for o in unit.outputs() {
            last[o] = u;
        }
    }
    // One profile renders in about a millisecond: a second thread (its stack, its
    // allocator's own pages, the hand-over) cost the seed more than it saved, and
    // on a busy machine it waits for a core (BENCHMARKS.md, issue 26).
    let threads = if model.profiles.len() <= 1 {
        0
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .saturating_sub(1)
            .min(units.len())
    };
    let (senders, receivers): (Vec<_>, Vec<_>) = units
        .iter()
        .map(|&unit| {
            let (tx, rx) = sync_channel::<Message>(room(unit));
            (Mutex::new(Some(tx)), rx)
        })
        .unzip();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many units this thread has taken whole (all of them once it stops).
    let taken = (Mutex::new(0usize), Condvar::new());
    let render = |unit: Unit, sink: &mut Sink| {
        render_unit(outputs, model, spec_name, options, split, unit, sink)
    };
    // The units before `j` that must have been taken before `j` starts: a whole
    // file's first unit waits for every other whole file before it.
    let need = |j: usize| {
        let whole_before = match units[j].whole_file(outputs, streamed) {
            Some(i) => units[..j]
                .iter()
                .rposition(|u| u.whole_file(outputs, streamed).is_some_and(|k| k != i))
                .map_or(0, |k| k + 1),
            None => 0,
        };
        whole_before.max((j + 1).saturating_sub(AHEAD + 1))
    };
    let work = || {
        loop {
            let j = next.load(Ordering::Relaxed);
            let Some(&unit) = units.get(j) else {
                return;
            };
            {
                let (count, changed) = &taken;
                let mut count = count.lock().unwrap_or_else(|p| p.into_inner());
                while *count < need(j) {
                    count = changed.wait(count).unwrap_or_else(|p| p.into_inner());
                }
            }
            if next
                .compare_exchange(j, j + 1, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
            {
                continue;
            }
            // Owned by this call: dropped when it ends, even by a panic, so the
            // taking thread never waits on a unit nobody renders.
            let Some(tx) = senders[j].lock().unwrap_or_else(|p| p.into_inner()).take() else {
                continue;
            };
            if stop.load(Ordering::Relaxed) {
                continue;
            }
            let result = render(unit, &mut |o, f| send(&tx, o, f));
            let _ = tx.send(Message::Done(result));
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                // As much stack as the main thread: templates and serialisers recurse.
                .stack_size(8 << 20)
                .spawn_scoped(scope, work)
                .expect("a thread to render on");
        }
        let taker = Taker {
            units,
            streamed,
            starts_whole: &starts_whole,
            last: &last,
            receivers: &receivers,
            next: &next,
            taken: &taken,
            need: &need,
            render: &render,
            helped: threads > 0,
        };
        let results = taker.take_in_order(outputs.len(), take);
        if results.is_err() {
            stop.store(true, Ordering::Relaxed);
            let (count, changed) = &taken;
            *count.lock().unwrap_or_else(|p| p.into_inner()) = usize::MAX;
            changed.notify_all();
            // Senders waiting on a channel fail once the receivers are gone.
            drop(receivers);
        }
        results
    })
}

/// Which units render together, in the outputs' order: each stack of a splitting
/// output, each stack of two outputs rendered together, or an output whole.
fn units<'s>(
    outputs: &[Output],
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
    split: &'s SharedSplit,
) -> Vec<Unit<'s>> {
    let parts: Vec<_> = outputs
        .iter()
        .map(|o| o.stack_parts(model, spec_name, options, split))
        .collect();
    // Outputs rendered with one before them.
    let mut taken = vec![false; outputs.len()];
    let mut units = Vec::new();
    for i in 0..outputs.len() {
        if taken[i] {
            continue;
        }
        let second = outputs[i].together().and_then(|(second, _)| {
            (i + 1..outputs.len()).find(|&j| outputs[j] == second && !taken[j])
        });
        match (&parts[i], second.map(|j| (j, &parts[j]))) {
            (Ok(None), Some((j, Ok(None)))) => {
                taken[j] = true;
                units.push(Unit::Together(i, j, None));
            }
            (Ok(Some(stacks)), Some((j, Ok(Some(_))))) if !stacks.is_empty() => {
                taken[j] = true;
                units.extend(stacks.iter().map(|p| Unit::Together(i, j, Some(p))));
            }
            (Ok(Some(stacks)), _) if !stacks.is_empty() => {
                units.extend(stacks.iter().map(|p| Unit::Stack(i, p)));
            }
            (Ok(None), _) => match outputs[i].pieces(model) {
                Some(of) => units.extend((0..of).map(|k| Unit::Piece(i, k, of))),
                None => units.push(Unit::Whole(i)),
            },
            // A refusal is reported by rendering the output whole.
            _ => units.push(Unit::Whole(i)),
        }
    }
    units
}

/// From how many bytes taken the memory freed before a whole file goes back to the
/// system: what a smaller tree's units freed is a few pages, and handing them back
/// was 13 system calls, 2.6% of the seed spec's time over an unchanged tree
/// (BENCHMARKS.md, issue 26).
const RETURN_FREED_FROM: usize = 1 << 20;

/// Which units start a whole file (`Unit::whole_file`: an output rendered whole that
/// does not split, or the first piece of one): before taking one, the memory the
/// units before it freed goes back to the system (`memory::return_freed`).
fn starts_of_whole_files(units: &[Unit], outputs: &[Output], streamed: &[bool]) -> Vec<bool> {
    units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            let file = unit.whole_file(outputs, streamed);
            file.is_some() && (u == 0 || units[u - 1].whole_file(outputs, streamed) != file)
        })
        .collect()
}

/// Renders one unit, handing each of its files to `sink` with its output.
fn render_unit(
    outputs: &[Output],
    model: &Model,
    spec_name: &str,
    options: RenderOptions,
    split: &SharedSplit,
    unit: Unit,
    sink: &mut Sink,
) -> Result<(), RenderError> {
    match unit {
        Unit::Whole(i) => {
            outputs[i].generate_files_into(model, spec_name, options, split, &mut |f| sink(i, f))
        }
        Unit::Stack(i, part) => sink(
            i,
            outputs[i].generate_stack(model, spec_name, options, part)?,
        ),
        Unit::Together(i, j, part) => {
            let [first, second] =
                outputs[i].generate_together(outputs[j], model, spec_name, options, part)?;
            sink(i, first)?;
            sink(j, second)
        }
        Unit::Piece(i, k, of) => {
            let text = outputs[i].generate_piece(model, spec_name, options, k, of)?;
            sink(
                i,
                GeneratedFile {
                    inside: String::new(),
                    stack: None,
                    text,
                },
            )
        }
    }
}

/// The messages a unit's channel holds before its rendering thread waits: a file of
/// each of its outputs (one stack's, or the first two of a whole output's) and the
/// unit's result. With room for two, a stack of the CDK's module and app (two files
/// and the result) waited until the taking thread reached it, so the second core
/// idled through much of the CDK's rendering (BENCHMARKS.md, issue 26).
fn room(unit: Unit) -> usize {
    match unit {
        Unit::Whole(_) => 2,
        _ => unit.outputs().count() + 1,
    }
}

/// Appends piece `k` of `of` of a file to `joined`: the first into a buffer with
/// room for the whole file (`of` pieces like it, and an eighth more: a file grown by
/// doubling holds two buffers at once), each piece's own buffer handed back for the
/// next piece to render into.
fn join(joined: &mut String, piece: String, k: usize, of: usize) {
    if k == 0 {
        let room = (piece.len().saturating_add(piece.len() / 8)).saturating_mul(of);
        *joined = buffers::with_capacity(room);
    }
    joined.push_str(&piece);
    buffers::give_back(piece);
}

fn send(tx: &SyncSender<Message>, output: usize, file: GeneratedFile) -> Result<(), RenderError> {
    tx.send(Message::File(output, file))
        .map_err(|_| RenderError::Internal("the build stopped".into()))
}

/// Where a unit's files go as they render: each with its output.
type Sink<'a> = dyn FnMut(usize, GeneratedFile) -> Result<(), RenderError> + 'a;

type Render<'a> = dyn Fn(Unit, &mut Sink) -> Result<(), RenderError> + Sync + 'a;

/// The thread taking the units' files in order (and rendering some itself).
struct Taker<'a, 's> {
    units: &'a [Unit<'s>],
    /// Which outputs' pieces are handed over as parts, not joined.
    streamed: &'a [bool],
    /// Which units start a whole file.
    starts_whole: &'a [bool],
    /// The unit that gives each output's last file.
    last: &'a [usize],
    receivers: &'a [Receiver<Message>],
    next: &'a AtomicUsize,
    taken: &'a (Mutex<usize>, Condvar),
    need: &'a (dyn Fn(usize) -> usize + Sync),
    render: &'a Render<'a>,
    /// Whether other threads render: with none, nobody waits for the count taken.
    helped: bool,
}

impl Taker<'_, '_> {
    fn progress(&self, n: usize) {
        let (count, changed) = self.taken;
        *count.lock().unwrap_or_else(|p| p.into_inner()) = n;
        // A notification is a system call even when nobody waits (one per unit).
        if self.helped {
            changed.notify_all();
        }
    }

    /// Claims unit `j` if no thread has started it.
    fn claim(&self, j: usize) -> bool {
        self.next
            .compare_exchange(j, j + 1, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }

    /// While unit `i` renders elsewhere: renders the next unclaimed stack, if one
    /// may start, and keeps its file. Returns whether it rendered one.
    fn render_ahead(&self, i: usize, ahead: &mut [Option<StackResult>]) -> bool {
        let j = self.next.load(Ordering::Relaxed);
        if !self.units.get(j).is_some_and(|u| u.is_small()) {
            return false;
        }
        if (self.need)(j) > i || !self.claim(j) {
            return false;
        }
        let mut files = Vec::new();
        let result = (self.render)(self.units[j], &mut |o, f| {
            files.push((o, f));
            Ok(())
        });
        ahead[j] = Some(result.map(|()| files));
        true
    }

    fn take_in_order(
        &self,
        outputs: usize,
        take: &mut Take,
    ) -> Result<Vec<Result<(), RenderError>>, Error> {
        let mut results: Vec<Option<Result<(), RenderError>>> = vec![None; outputs];
        // After an output's first error, its files are not taken.
        let mut failed = vec![false; outputs];
        let mut ahead: Vec<Option<StackResult>> = (0..self.units.len()).map(|_| None).collect();
        // The pieces of a file taken so far, joined.
        let mut joined = String::new();
        // The bytes of the files and pieces taken so far.
        let mut rendered = 0;
        for (i, &unit) in self.units.iter().enumerate() {
            if i > 0 {
                self.progress(i);
            }
            // A whole file (a fleet's Terraform configuration, 26 MB) is held until its
            // last piece: what the stacks before it freed, kept for the rendering
            // phase's delay, would be resident beside it, and was a fleet's peak.
            if self.starts_whole[i] && rendered >= RETURN_FREED_FROM {
                crate::memory::return_freed();
            }
            let mut give = |o: usize, file: Option<GeneratedFile>| {
                rendered += file.as_ref().map_or(0, |f| f.text.len());
                match (file, unit) {
                    (Some(file), Unit::Piece(_, k, of)) if !failed[o] && self.streamed[o] => take(
                        o,
                        Given::Part {
                            file,
                            first: k == 0,
                            last: k + 1 == of,
                        },
                    ),
                    (Some(f), Unit::Piece(_, k, of)) if !failed[o] => {
                        join(&mut joined, f.text, k, of);
                        if k + 1 < of {
                            return Ok(());
                        }
                        let file = GeneratedFile {
                            inside: f.inside,
                            stack: f.stack,
                            text: std::mem::take(&mut joined),
                        };
                        take(o, Given::File(file))
                    }
                    (Some(f), _) if !failed[o] => take(o, Given::File(f)),
                    _ => Ok(()),
                }
            };
            let result = if let Some(done) = ahead[i].take() {
                match done {
                    Ok(files) => {
                        for (o, f) in files {
                            give(o, Some(f))?;
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            } else if self.claim(i) {
                let mut stopped = None;
                let result = (self.render)(unit, &mut |o, f| {
                    give(o, Some(f)).map_err(|e| {
                        stopped = Some(e);
                        RenderError::Internal("the build stopped".into())
                    })
                });
                if let Some(e) = stopped {
                    return Err(e);
                }
                result
            } else {
                self.receive(i, ahead.as_mut_slice(), &mut give)?
            };
            if result.is_err() && matches!(unit, Unit::Piece(..)) {
                joined = String::new();
            }
            for o in unit.outputs() {
                if !failed[o] {
                    failed[o] = result.is_err();
                    results[o] = Some(result.clone());
                }
                if self.last[o] == i {
                    let result = results[o].take().unwrap_or(Ok(()));
                    take(o, Given::Done(&result))?;
                    results[o] = Some(result);
                }
            }
        }
        Ok(results.into_iter().map(|r| r.unwrap_or(Ok(()))).collect())
    }

    /// Unit `i`'s files from the thread rendering it, rendering stacks ahead while
    /// none has come.
    fn receive(
        &self,
        i: usize,
        ahead: &mut [Option<StackResult>],
        give: &mut dyn FnMut(usize, Option<GeneratedFile>) -> Result<(), Error>,
    ) -> Result<Result<(), RenderError>, Error> {
        let rx = &self.receivers[i];
        loop {
            let message = match rx.try_recv() {
                Ok(m) => Ok(m),
                Err(TryRecvError::Empty) if self.render_ahead(i, ahead) => continue,
                Err(TryRecvError::Empty) => rx.recv().map_err(|_| ()),
                Err(TryRecvError::Disconnected) => Err(()),
            };
            match message {
                Ok(Message::File(o, file)) => give(o, Some(file))?,
                Ok(Message::Done(result)) => return Ok(result),
                // The rendering thread panicked; the scope's join reports it.
                Err(()) => {
                    return Ok(Err(RenderError::Internal(
                        "a rendering thread stopped".into(),
                    )));
                }
            }
        }
    }
}

/// A stack rendered ahead: its files with their outputs, or its error.
type StackResult = Result<Vec<(usize, GeneratedFile)>, RenderError>;

#[cfg(test)]
mod tests;
