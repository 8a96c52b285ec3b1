//! Files that should never be committed, whatever they contain today: environment files, SSH
//! private keys, PKCS#12 bundles and Java key stores, cloud SDK credential files.

/// Why `path` (a repository path, `/`-separated) must not be committed, or `None`.
/// `content` is consulted only for names that are sometimes harmless (`credentials.json`).
pub fn reason(path: &[u8], content: Option<&[u8]>) -> Option<&'static str> {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let name = lower.as_slice();
    if name == b".env" {
        return Some("an environment file (.env) holds live credentials; commit a .env.example with placeholders instead");
    }
    if let Some(suffix) = name.strip_prefix(b".env.") {
        const TEMPLATES: &[&[u8]] = &[
            b"example",
            b"sample",
            b"template",
            b"dist",
            b"defaults",
            b"default",
            b"tpl",
            b"schema",
            b"test",
            b"ci",
        ];
        if !TEMPLATES.contains(&suffix) {
            return Some("an environment file (.env.*) holds live credentials; commit a .env.example with placeholders instead");
        }
    }
    if matches!(
        name,
        b"id_rsa" | b"id_dsa" | b"id_ecdsa" | b"id_ed25519" | b"id_ecdsa_sk" | b"id_ed25519_sk"
    ) {
        return Some("an SSH private key");
    }
    let ext = name.rsplit(|&b| b == b'.').next().unwrap_or(b"");
    if name.contains(&b'.') {
        match ext {
            b"p12" | b"pfx" | b"pkcs12" => {
                return Some("a PKCS#12 bundle (certificate with its private key)")
            }
            b"keystore" | b"jks" | b"bks" => return Some("a Java key store"),
            b"kdbx" => return Some("a KeePass password database"),
            _ => {}
        }
    }
    if name == b".git-credentials" {
        return Some("git's stored credentials (.git-credentials)");
    }
    let full = path.to_ascii_lowercase();
    if full.ends_with(b".aws/credentials") {
        return Some("AWS CLI credentials file");
    }
    if name == b"application_default_credentials.json" || full.ends_with(b"gcloud/credentials.db") {
        return Some("Google Cloud SDK credentials");
    }
    if full.ends_with(b".azure/accesstokens.json")
        || full.ends_with(b".azure/msal_token_cache.json")
    {
        return Some("Azure CLI token cache");
    }
    if name == b"credentials.json" || name == b"client_secret.json" {
        let holds = content.is_some_and(|c| {
            [
                &b"\"private_key\""[..],
                b"\"client_secret\"",
                b"\"refresh_token\"",
            ]
            .iter()
            .any(|k| memchr::memmem::find(c, k).is_some())
        });
        if holds {
            return Some(
                "a cloud SDK credentials file (private key, client secret or refresh token)",
            );
        }
    }
    None
}

/// Does the name need the content to decide?
pub fn needs_content(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    name.eq_ignore_ascii_case(b"credentials.json")
        || name.eq_ignore_ascii_case(b"client_secret.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files() {
        assert!(reason(b".env", None).is_some());
        assert!(reason(b"app/.env.production", None).is_some());
        assert!(reason(b".env.example", None).is_none());
        assert!(reason(b"app/.env.sample", None).is_none());
        assert!(reason(b"src/env.rs", None).is_none());
    }

    #[test]
    fn keys_and_stores() {
        assert!(reason(b"home/.ssh/id_rsa", None).is_some());
        assert!(reason(b"home/.ssh/id_rsa.pub", None).is_none());
        assert!(reason(b"certs/server.p12", None).is_some());
        assert!(reason(b"android/release.keystore", None).is_some());
        assert!(reason(
            b"credentials.json",
            Some(b"{\"installed\":{\"client_secret\":\"x\"}}")
        )
        .is_some());
        assert!(reason(b"credentials.json", Some(b"{\"user\":\"x\"}")).is_none());
    }
}
