//! One version everywhere: Cargo.toml's.

use super::*;

#[test]
fn every_package_names_the_cargo_version() {
    let read = |f: &str| std::fs::read_to_string(root().join(f)).unwrap();
    let stub = read("pre-commit/pyproject.toml");
    assert!(
        stub.contains(&format!("version = \"{VERSION}\"")),
        "pre-commit/pyproject.toml"
    );
    assert!(
        stub.contains(&format!("\"git-hygiene=={VERSION}\"")),
        "pre-commit/pyproject.toml"
    );
    // The `version` input's default, in the action and in the component.
    for f in ["action.yml", "templates/git-hygiene.yml"] {
        let text = read(f);
        let default = text
            .lines()
            .skip_while(|l| l.trim() != "version:")
            .find_map(|l| l.trim().strip_prefix("default:"))
            .unwrap_or_else(|| panic!("{f}: the version input has no default"));
        assert_eq!(default.trim(), format!("\"{VERSION}\""), "{f}");
    }
    let out = Command::new("node")
        .arg(root().join("npm/stage.js"))
        .arg("launcher")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-launcher-stage"))
        .output()
        .expect("node");
    assert!(out.status.success(), "{}", text(&out));
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-launcher-stage/package.json"),
    )
    .unwrap();
    let platforms = read("npm/platforms.json");
    let count = platforms.matches("\"package\"").count();
    assert_eq!(
        count, 7,
        "linux x64/arm64 gnu/musl, darwin x64/arm64, win32 x64"
    );
    assert_eq!(
        manifest.matches(&format!(": \"{VERSION}\"")).count(),
        count + 1,
        "the launcher and every optional dependency at the exact version:\n{manifest}"
    );
}
