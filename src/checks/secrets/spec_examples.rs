//! OpenAPI and Swagger specifications in YAML: the values under an `example:` or `examples:`
//! key are sample requests and responses, written to show a field's shape (`UnlockKey:
//! "SWMKEY-1-…"`, `password: "hunter2"`), and so are the fenced code blocks of its
//! descriptions (CommonMark). Like a documentation page's code blocks, they are reported only
//! when a value has a provider's precise format.

/// Is `data` (the file `path`) an OpenAPI or Swagger specification written in YAML?
pub fn is_yaml_api_spec(path: &[u8], data: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(b".yaml") || lower.ends_with(b".yml")) {
        return false;
    }
    // The version key sits at the top level, usually on the first lines.
    let head = &data[..data.len().min(64 << 10)];
    head.split(|&b| b == b'\n')
        .any(|l| l.starts_with(b"swagger:") || l.starts_with(b"openapi:"))
}

/// How far up a value's parents are looked for: an example holds a few dozen lines.
const MAX_LINES_UP: usize = 400;

/// Does the line holding byte `pos` lie inside an `example:` or `examples:` block (the key
/// itself or a parent key by indentation)?
pub fn in_example(data: &[u8], pos: usize) -> bool {
    let line_start = memchr::memrchr(b'\n', &data[..pos]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
    let this = &data[line_start..line_end];
    if is_example_key(this) {
        return true;
    }
    let mut indent = indent_of(this);
    let mut end = line_start;
    for _ in 0..MAX_LINES_UP {
        if indent == 0 || end == 0 {
            return false;
        }
        let start = memchr::memrchr(b'\n', &data[..end - 1]).map_or(0, |i| i + 1);
        let line = &data[start..end - 1];
        end = start;
        let body = line.trim_ascii_start();
        if body.is_empty() || body.starts_with(b"#") {
            continue;
        }
        let i = indent_of(line);
        if i < indent {
            if is_example_key(line) {
                return true;
            }
            indent = i;
        }
    }
    false
}

fn indent_of(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ' || b == b'-').count()
}

/// `example:`, `examples:`, `x-example:` (quoted or not, as a list item or not).
fn is_example_key(line: &[u8]) -> bool {
    let body = line.trim_ascii_start();
    let body = body.strip_prefix(b"- ").unwrap_or(body);
    let key_end = body.iter().position(|&b| b == b':').unwrap_or(body.len());
    let key = body[..key_end].trim_ascii();
    let key = key
        .strip_prefix(b"\"")
        .and_then(|k| k.strip_suffix(b"\""))
        .unwrap_or(key);
    key_end < body.len() && matches!(key, b"example" | b"examples" | b"x-example" | b"x-examples")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "swagger: \"2.0\"\npaths:\n  /swarm/unlockkey:\n    get:\n      responses:\n        200:\n          schema:\n            properties:\n              UnlockKey:\n                type: \"string\"\n            example:\n              UnlockKey: \"SWMKEY-1-abc\"\n              Nested:\n                - password: \"hunter2\"\n        500:\n          description: \"password: error\"\n";

    fn at(text: &str) -> usize {
        SPEC.find(text).unwrap()
    }

    #[test]
    fn values_under_an_example_key_are_examples() {
        assert!(is_yaml_api_spec(b"api/swagger.yaml", SPEC.as_bytes()));
        assert!(in_example(SPEC.as_bytes(), at("SWMKEY")));
        assert!(in_example(SPEC.as_bytes(), at("hunter2")));
        assert!(!in_example(SPEC.as_bytes(), at("type: \"string\"")));
        assert!(!in_example(SPEC.as_bytes(), at("password: error")));
    }

    #[test]
    fn only_yaml_api_specs() {
        assert!(!is_yaml_api_spec(b"api/swagger.json", SPEC.as_bytes()));
        assert!(!is_yaml_api_spec(
            b"values.yaml",
            b"image: x\nexample:\n  password: a\n"
        ));
        assert!(is_yaml_api_spec(
            b"openapi.yml",
            b"# spec\nopenapi: 3.0.0\n"
        ));
    }
}
