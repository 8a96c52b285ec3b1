//! End-to-end: the `adr` check and `git hygiene adr new` on real repositories.

use crate::support::*;

fn nygard(n: u32, title: &str, status: &str) -> String {
    format!("# {n}. {title}\n\nDate: 2024-01-01\n\n## Status\n\n{status}\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n")
}

/// main with three ADRs: 1 accepted, 2 superseded by 3, 3 accepted.
fn repo_with_adrs(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.write(
        "docs/adr/0001-record-architecture-decisions.md",
        nygard(1, "Record architecture decisions", "Accepted"),
    );
    r.write(
        "docs/adr/0002-deploy-with-ansible.md",
        nygard(
            2,
            "Deploy with Ansible",
            "Superseded by [3. Deploy with Terraform](0003-deploy-with-terraform.md)",
        ),
    );
    r.write(
        "docs/adr/0003-deploy-with-terraform.md",
        nygard(
            3,
            "Deploy with Terraform",
            "Accepted\n\nSupersedes [2. Deploy with Ansible](0002-deploy-with-ansible.md)",
        ),
    );
    r.write("README.md", "app\n");
    r.git(&["add", "."]);
    r.commit_no_verify("docs: ADRs CU-86b2xk4pq");
    r
}

#[test]
fn terraform_change_without_adr_fails_with_the_list_to_choose_from() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    r.install();
    r.write("terraform/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: add bucket CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    assert!(t.contains("terraform/main.tf"), "{t}");
    assert!(
        t.contains("ADR-0001 Record architecture decisions (Accepted)"),
        "{t}"
    );
    assert!(
        t.contains("ADR-0003 Deploy with Terraform (Accepted)"),
        "{t}"
    );
    assert_eq!(r.commit_count(), 1);

    let out = r.commit("feat: add bucket CU-86b2xk4pq\n\nRefs: ADR-0003");
    assert_exit(&out, 0);
    assert_eq!(r.commit_count(), 2);
}

#[test]
fn link_to_superseded_adr_names_the_successor() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    r.install();
    r.write("deploy/site.yml", "- hosts: all\n");
    r.git(&["add", "."]);
    let out =
        r.commit("feat: deploy playbook CU-86b2xk4pq\n\nSee docs/adr/0002-deploy-with-ansible.md");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-status"), "{t}");
    assert!(
        t.contains("superseded by ADR-0003 (Deploy with Terraform)"),
        "{t}"
    );

    // An unknown ADR is an error too.
    let out = r.commit("feat: deploy playbook CU-86b2xk4pq\n\nRefs: ADR 9");
    assert_exit(&out, 1);
    assert!(text(&out).contains("adr/link-unknown"), "{}", text(&out));
}

#[test]
fn ci_accepts_a_reference_in_any_commit_or_the_description() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    r.git(&["checkout", "-q", "-b", "feature/CU-86b2xk4pq-k8s"]);
    r.add_commit(
        "k8s/app.yaml",
        "kind: Deployment\n",
        "feat: deployment CU-86b2xk4pq",
    );
    r.add_commit("README.md", "app\nmore\n", "docs: readme CU-86b2xk4pq");
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("adr/link-missing"), "{}", text(&out));
    let out = r.hygiene(&[
        "ci",
        "--base",
        BRANCH,
        "--description",
        "Implements ADR-0003.",
    ]);
    assert_exit(&out, 0);
    r.add_commit(
        "k8s/svc.yaml",
        "kind: Service\n",
        "feat: service CU-86b2xk4pq\n\nRefs: ADR-0003",
    );
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_exit(&out, 0);
}

#[test]
fn proposed_adr_added_with_the_change_warns() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    r.install();
    r.write(
        "docs/adr/0004-use-helm.md",
        nygard(4, "Use Helm", "Proposed"),
    );
    r.write("helm/Chart.yaml", "name: app\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: helm chart CU-86b2xk4pq\n\nRefs: ADR-0004");
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(t.contains("ADR-0004 (Use Helm) is only Proposed"), "{t}");
}

#[test]
fn invalid_adr_files_are_reported() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    r.install();
    // Number 5 skips 4; no title; unknown status; ADR 2 says superseded by 3 — now 1 claims to be superseded by 9.
    r.write(
        "docs/adr/0005-half-done.md",
        "Some text\n\n## Status\n\nMaybe\n",
    );
    r.git(&["add", "."]);
    let out = r.commit("docs: adr CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    for rule in [
        "adr/adr-number",
        "adr/adr-title",
        "adr/adr-status",
        "adr/adr-sections",
    ] {
        assert!(t.contains(rule), "{rule} missing:\n{t}");
    }
    assert!(t.contains("skip 0004"), "{t}");

    // A supersede link that is not mirrored.
    r.git(&["rm", "-q", "--cached", "docs/adr/0005-half-done.md"]);
    std::fs::remove_file(r.dir.join("docs/adr/0005-half-done.md")).unwrap();
    r.write(
        "docs/adr/0001-record-architecture-decisions.md",
        nygard(1, "Record architecture decisions", "Superseded by ADR-0003"),
    );
    r.git(&["add", "."]);
    let out = r.commit("docs: adr CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/adr-link"), "{t}");
    assert!(t.contains("does not say `Supersedes ADR-0001`"), "{t}");
}

#[test]
fn adr_new_creates_the_next_numbered_file() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    let out = r.hygiene(&["adr", "new", "Use Postgres for orders!"]);
    assert_exit(&out, 0);
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(printed, "docs/adr/0004-use-postgres-for-orders.md");
    let body = String::from_utf8_lossy(&r.read(&printed)).into_owned();
    assert!(
        body.starts_with("# 4. Use Postgres for orders!\n"),
        "{body}"
    );
    assert!(body.contains("## Status\n\nProposed"), "{body}");

    // The new file passes the check once filled in; --supersedes links both ways.
    let out = r.hygiene(&[
        "adr",
        "new",
        "Use Pulumi",
        "--supersedes",
        "3",
        "--status",
        "Accepted",
    ]);
    assert_exit(&out, 0);
    let old =
        String::from_utf8_lossy(&r.read("docs/adr/0003-deploy-with-terraform.md")).into_owned();
    assert!(
        old.contains("Superseded by [5. Use Pulumi](0005-use-pulumi.md)"),
        "{old}"
    );
    r.git(&["add", "."]);
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 0);

    // A repository without ADRs gets docs/adr/0001-….
    let r2 = sb.repo("empty");
    let out = r2.hygiene(&["adr", "new", "Record architecture decisions"]);
    assert_exit(&out, 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "docs/adr/0001-record-architecture-decisions.md"
    );
}

#[test]
fn no_adrs_no_link_requirement() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "x\n", "chore: init CU-86b2xk4pq");
    r.install();
    r.write("Dockerfile", "FROM scratch\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: container CU-86b2xk4pq");
    assert_exit(&out, 0);
}

#[test]
fn unknown_template_and_status_are_errors_that_list_the_allowed_values() {
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    let base = r.head();
    r.add_commit("README.md", "app v2\n", "docs: readme CU-86b2xk4pq");
    r.install();
    r.write("README.md", "app v3\n");
    r.git(&["add", "README.md"]);
    assert_located(
        &r,
        &base,
        "[adr]\nvalidate = true\ntemplate = \"bogus\"\n",
        "3:12",
        "unknown variant `bogus`, expected one of `auto`, `nygard`, `madr`",
    );
    let out = r.hygiene(&["adr", "new", "Use Redis"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains(".hygiene.toml:3:12: "), "{err}");

    // MADR on request, whatever the newest ADR looks like.
    r.write(".hygiene.toml", "[adr]\ntemplate = \"madr\"\n");
    let out = r.hygiene(&["adr", "new", "Use Redis"]);
    assert_exit(&out, 0);
    assert!(String::from_utf8_lossy(&r.read("docs/adr/0004-use-redis.md")).starts_with("---\n"));

    // --status is checked against [adr] statuses before anything is written.
    let out = r.hygiene(&["adr", "new", "Use Kafka", "--status", "Bogus"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(code(&out), 2, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("--status `Bogus`")
            && err.contains("Proposed, Accepted, Rejected, Deprecated, Superseded"),
        "{err}"
    );
    assert!(!r.dir.join("docs/adr/0005-use-kafka.md").exists());
    // Case does not matter, as in the check.
    let out = r.hygiene(&["adr", "new", "Use Kafka", "--status", "accepted"]);
    assert_exit(&out, 0);
}

/// Runs the real adr-tools (Debian's `adr-tools` package) in `r`; no editor opens.
fn adr(r: &Repo<'_>, args: &[&str]) {
    let out = r
        .cmd("adr")
        .args(args)
        .env_remove("EDITOR")
        .env_remove("VISUAL")
        .output()
        .expect("run `adr` from adr-tools (apt-get install adr-tools)");
    assert!(out.status.success(), "adr {args:?}: {}", text(&out));
}

/// ADRs made by adr-tools live where `adr init` put them, recorded in `.adr-dir`, outside every
/// default of `[adr] dirs`: they are found there, `-v` says which directory is in use, the list
/// to choose from leaves out the one `adr new -s` superseded, and `-l` links pass validation.
#[test]
fn adr_tools_directory_and_supersession_are_honoured() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    adr(&r, &["init", "doc/architecture/decisions"]);
    adr(&r, &["new", "Use Postgres"]);
    adr(&r, &["new", "-s", "2", "Use CockroachDB"]);
    adr(
        &r,
        &[
            "new",
            "-l",
            "3:Amends:Amended by",
            "Tune the connection pool",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&r.read(".adr-dir")).trim(),
        "doc/architecture/decisions"
    );
    r.git(&["add", "."]);
    r.commit_no_verify("docs: ADRs CU-86b2xk4pq");
    r.install();

    r.write("terraform/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: add bucket CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    assert!(t.contains("ADR-0003 Use CockroachDB (Accepted)"), "{t}");
    assert!(t.contains("ADR-0004 Tune the connection pool"), "{t}");
    assert!(!t.contains("ADR-0002"), "a superseded ADR is offered: {t}");

    let out = r.hygiene(&["-v", "scan"]);
    let t = text(&out);
    assert!(
        t.contains("ADRs are read from `doc/architecture/decisions`, as .adr-dir says"),
        "{t}"
    );
    assert!(
        !t.contains("adr/adr-"),
        "adr-tools' own files judged invalid: {t}"
    );

    let out = r.commit("feat: add bucket CU-86b2xk4pq\n\nRefs: ADR-0003");
    assert_exit(&out, 0);
}

/// A new ADR is a file the repository's own Markdown formatter accepts as written: the real
/// Prettier (tests/tools) checks the Nygard and the MADR template, and neither has an empty
/// section, a double blank line or a trailing space.
#[test]
fn adr_new_writes_files_prettier_accepts() {
    let prettier = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools/node_modules/.bin/prettier");
    assert!(
        prettier.exists(),
        "run `npm ci --prefix tests/tools` first: {}",
        prettier.display()
    );
    let sb = Sandbox::new();
    let r = repo_with_adrs(&sb);
    let out = r.hygiene(&["adr", "new", "Use Postgres"]);
    assert_exit(&out, 0);
    let nygard = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let m = sb.repo("m");
    m.write(".hygiene.toml", "[adr]\ntemplate = \"madr\"\n");
    let out = m.hygiene(&["adr", "new", "Use Postgres"]);
    assert_exit(&out, 0);
    let madr = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    for (repo, file) in [(&r, &nygard), (&m, &madr)] {
        let body = String::from_utf8_lossy(&repo.read(file)).into_owned();
        assert!(
            !body.contains("\n\n\n"),
            "double blank line in {file}:\n{body}"
        );
        assert!(
            !body.lines().any(|l| l.ends_with(' ')),
            "trailing space in {file}:\n{body}"
        );
        let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("##") {
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    !next.is_empty() && !next.starts_with('#'),
                    "{file}: section `{l}` is empty:\n{body}"
                );
            }
        }
        let out = repo
            .cmd(&prettier)
            .args(["--check", file.as_str()])
            .output()
            .expect("run prettier");
        assert_exit(&out, 0);
    }
}
