//! Values judged by what they encode: Docker's `config.json` `auth` and HTTP Basic headers are
//! base64 of `user:password`. A real commit of one with a literal password is refused, with the
//! finding at the encoded value and a message saying it was base64; the output never shows the
//! decoded password. A placeholder password passes.

use crate::support::*;

/// A fake password, assembled so that this file holds no literal one.
fn password() -> String {
    ["Rk8m", "Pq2w", "Zt5v", "Xy9n"].concat()
}

fn docker_config(auth: &str) -> String {
    format!(
        "{{\n  \"auths\": {{\n    \"registry.corp.test\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }},\n  \"credsStore\": \"\"\n}}\n"
    )
}

/// The output holds neither the decoded password nor the whole encoded value.
fn shows_nothing_secret(out: &str, encoded: &str) {
    assert!(!leaks(out, &password()), "decoded password shown:\n{out}");
    assert!(!out.contains(encoded), "encoded value shown whole:\n{out}");
}

#[test]
fn a_commit_of_a_docker_config_with_a_password_is_refused() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, "feature/registry");
    let encoded = base64(format!("ci-bot:{}", password()).as_bytes());
    r.write(".docker/config.json", docker_config(&encoded));
    r.git(&["add", "."]);
    let out = r.commit("chore: registry login");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("secrets/docker-config-auth"), "{t}");
    assert!(t.contains("base64 of user:password"), "{t}");
    assert!(
        t.contains(".docker/config.json:4:16"),
        "at the encoded value: {t}"
    );
    shows_nothing_secret(&t, &encoded);
    assert_eq!(r.commit_count(), 1, "nothing may be committed");

    // The same file with the password left to the environment is committed.
    let placeholder = base64(b"ci-bot:${REGISTRY_PASSWORD}");
    r.write(".docker/config.json", docker_config(&placeholder));
    r.git(&["add", "."]);
    let out = r.commit("chore: registry login");
    assert_exit(&out, 0);
    assert_eq!(r.commit_count(), 2);
}

/// `Authorization: Basic …` in a curl command, and in a REST client's `.http` file written in
/// UTF-16 (as Windows editors save it): both decoded, then judged.
#[test]
fn basic_auth_headers_are_decoded_in_scripts_and_utf16_files() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, "feature/report");
    let encoded = base64(format!("reports:{}", password()).as_bytes());
    r.write(
        "scripts/fetch.sh",
        format!("#!/bin/sh\ncurl -sf \\\n  -H \"Authorization: Basic {encoded}\" https://reports.corp.test/daily\n"),
    );
    let http = format!("GET https://reports.corp.test/daily\r\nAuthorization: Basic {encoded}\r\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(http.encode_utf16().flat_map(u16::to_le_bytes));
    r.write("requests/daily.http", utf16);
    // Look-alikes: a placeholder pair, a header built at run time, prose.
    r.write(
        "docs/auth.md",
        format!(
            "Use Basic authentication.\n\n    Authorization: Basic {}\n\n    curl -H \"Authorization: Basic $(echo -n \"$U:$P\" | base64)\"\n",
            base64(b"reports:<password>")
        ),
    );
    let out = r.hygiene(&["--only", "secrets", "--format", "json", "scan"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    let mut found: Vec<(String, String, u64)> = json_findings(&out)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("requests/daily.http".into(), "basic-auth-header".into(), 2),
            ("scripts/fetch.sh".into(), "basic-auth-header".into(), 3),
        ],
        "{t}"
    );
    shows_nothing_secret(&t, &encoded);
}
