fn main() -> std::process::ExitCode {
    qrcert::cli::main()
}
