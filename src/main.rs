fn main() -> std::process::ExitCode {
    briefing::cli::run()
}
