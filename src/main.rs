fn main() {
    let code = match git_hygiene::last_resort::catch(git_hygiene::cli::run) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("git-hygiene: error: {e}");
            2
        }
    };
    std::process::exit(code);
}
