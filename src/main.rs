//! `biaozhu`: the desktop app with no subcommand, headless tools with one.

mod cli;

use clap::Parser;

// The subcommands reach the library as `crate::…`, as if they lived in it.
use biaozhu::{
    consistency, corpus, evaluate, export, model, review, schema, stats, store, suggest,
};

use cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Some(command) => match run(&cli, command) {
            Ok(code) => code,
            // A closed pipe (`biaozhu suggest | head`) is not an error.
            Err(e)
                if e.chain().any(|c| {
                    c.downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                }) =>
            {
                0
            }
            Err(e) => {
                eprintln!("biaozhu: {e:#}");
                2
            }
        },
        None => open_app(&cli),
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn open_app(cli: &Cli) -> i32 {
    match biaozhu::ui::run(cli.window()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("biaozhu: cannot open the window: {e:#}");
            1
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_app(_cli: &Cli) -> i32 {
    eprintln!(
        "biaozhu: this build has no desktop app (built without the `gui` feature); use a subcommand, see --help"
    );
    2
}
