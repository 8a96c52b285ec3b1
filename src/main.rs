fn main() {
    let code = match git_hygiene::last_resort::catch(git_hygiene::cli::run) {
        Ok(code) => code,
        Err(e) => {
            git_hygiene::out::eprintln(&e.report());
            2
        }
    };
    std::process::exit(code);
}
