//! `doctriage`: see `doctriage --help`.

fn main() -> std::process::ExitCode {
    doctriage::cli::main()
}
