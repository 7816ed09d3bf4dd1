//! The `qrcert` command: see `qrcert --help` and the README.

fn main() -> std::process::ExitCode {
    qrcert::cli::main()
}
