//! A subcommand's arguments, defined only when that subcommand is parsed.

use std::cell::Cell;

use clap::{ArgMatches, Args, Command, CommandFactory, FromArgMatches};

thread_local! {
    /// Set while `whole` builds the definition: every `Deferred` is then defined at once.
    static WHOLE: Cell<bool> = const { Cell::new(false) };
}

/// The whole command line's definition, every subcommand's arguments in it, in the
/// order the derive gives them: for completions and manual pages, which list the
/// arguments in that order. (Arguments defined late come after the global options
/// clap copies into each subcommand.)
pub fn whole<C: CommandFactory>() -> Command {
    WHOLE.set(true);
    let cmd = C::command();
    WHOLE.set(false);
    cmd
}

/// The arguments `T` of one subcommand, which clap adds to the subcommand's
/// definition only when it parses that subcommand, or builds the whole tree
/// (completions, manual pages, `help`): `clap::Command::defer`. Defining every
/// subcommand's arguments on every run, to use one subcommand's, was about a tenth
/// of the seed's time over an unchanged tree (BENCHMARKS.md, issue 26).
///
/// None of `T` may set the subcommand's own text (`about`, `long_about`): the
/// variant's doc comment sets it first, and a deferred `T` would overwrite it.
/// `cli::tests` checks every subcommand's help against the definition built whole.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T> std::ops::Deref for Deferred<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }
    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: Command) -> Command {
        if WHOLE.get() {
            T::augment_args(cmd)
        } else {
            cmd.defer(T::augment_args)
        }
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        if WHOLE.get() {
            T::augment_args_for_update(cmd)
        } else {
            cmd.defer(T::augment_args_for_update)
        }
    }
}
