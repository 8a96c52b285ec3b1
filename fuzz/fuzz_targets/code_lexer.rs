#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| git_hygiene_fuzz::code_lexer(data));
