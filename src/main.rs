//! The `truora-tui` binary. Parsing, start-up and exit codes live in the library's [`cli`]
//! module, where they are unit-tested without spawning this program.
//!
//! [`cli`]: truora_tui::cli

fn main() -> std::process::ExitCode {
    truora_tui::cli::main()
}
