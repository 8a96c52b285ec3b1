//! Documentation pages (`.md`, `.mdx`, `.rst`, `.adoc`) show request and response examples in
//! code blocks: `{"password": "Sup3rS3cret!"}`, `Authorization: Bearer eyJ…`, a Secret manifest.
//! Inside those blocks only a value in a provider's precise format (`ghp_…`, `AKIA…`, a PEM
//! key) is reported; the rules that judge a value by the name it is given or by its
//! surroundings are not.

use std::ops::Range;

/// The markup of a documentation page, which says how its code blocks are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Rst,
    AsciiDoc,
}

/// Extensions of documentation pages (compared case-insensitively).
const DOC_EXTENSIONS: &[(&str, Markup)] = &[
    ("md", Markup::Markdown),
    ("mdx", Markup::Markdown),
    ("markdown", Markup::Markdown),
    ("rst", Markup::Rst),
    ("adoc", Markup::AsciiDoc),
    ("asciidoc", Markup::AsciiDoc),
];

/// Rules that judge a value by its name or surroundings rather than by its own shape; in a
/// documentation page's code block their matches are examples. (Rules with a `context` are
/// such rules too.)
pub const LOOSE_RULES: &[&str] = &[
    "authorization-header",
    "bearer-token",
    "api-key-header",
    "curl-user",
    "kubernetes-secret",
    "connection-string-password",
    "netrc-password",
    "pypirc-password",
    "npmrc-auth",
    "psexec-password",
    "network-credential",
    "powershell-plaintext-password",
    "jwt",
    // A crypt hash is derived from a password, no provider's credential: in a page's code
    // block it shows what a shadow or htpasswd line looks like.
    "password-hash",
];

/// The markup of the file at `path`, if it is a documentation page.
pub fn markup(path: &[u8]) -> Option<Markup> {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let dot = name.iter().rposition(|&b| b == b'.')?;
    let ext = &name[dot + 1..];
    DOC_EXTENSIONS
        .iter()
        .find(|(e, _)| e.as_bytes().eq_ignore_ascii_case(ext))
        .map(|&(_, m)| m)
}

/// The byte ranges of the code blocks in `data`: Markdown fences (```` ``` ````, `~~~`),
/// reStructuredText literal blocks (after `::`, or a `.. code-block::` directive) and AsciiDoc
/// listing and literal blocks (`----`, `....`).
pub fn code_blocks(data: &[u8], markup: Markup) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    // The open block: its start and how it ends.
    let mut open: Option<(usize, End)> = None;
    let mut pos = 0;
    while pos < data.len() {
        let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i + 1);
        let line = data[pos..end].trim_ascii_end();
        let indent = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let text = &line[indent..];
        // A fence or delimiter that closes a block opens none; a dedented line may.
        let mut closed_here = false;
        match open {
            Some((start, End::Fence(c, n))) if text.len() >= n && text.iter().all(|&b| b == c) => {
                blocks.push(start..pos);
                (open, closed_here) = (None, true);
            }
            Some((start, End::Delimiter(c)))
                if indent == 0 && text.len() >= 4 && text.iter().all(|&b| b == c) =>
            {
                blocks.push(start..pos);
                (open, closed_here) = (None, true);
            }
            Some((start, End::Dedent(base))) if !text.is_empty() && indent <= base => {
                blocks.push(start..pos);
                open = None;
            }
            _ => {}
        }
        if open.is_none() && !closed_here {
            open = opening(text, indent, markup).map(|e| (end, e));
        }
        pos = end;
    }
    if let Some((start, _)) = open {
        blocks.push(start..data.len());
    }
    blocks
}

/// How the code block that line `text` (indented by `indent`) opens will end, if it opens one.
fn opening(text: &[u8], indent: usize, markup: Markup) -> Option<End> {
    let fence = text.iter().take_while(|&&b| b == text[0]).count();
    if !text.is_empty() && matches!(text[0], b'`' | b'~') && fence >= 3 {
        return Some(End::Fence(text[0], fence));
    }
    match markup {
        Markup::AsciiDoc => (indent == 0
            && text.len() >= 4
            && matches!(text[0], b'-' | b'.')
            && fence == text.len())
        .then(|| End::Delimiter(text[0])),
        Markup::Rst => (text.ends_with(b"::")
            || text.starts_with(b".. code")
            || text.starts_with(b".. sourcecode"))
        .then_some(End::Dedent(indent)),
        Markup::Markdown => None,
    }
}

/// How an open code block ends.
#[derive(Clone, Copy)]
enum End {
    /// A fence of at least this many of this character.
    Fence(u8, usize),
    /// A line of four or more of this character.
    Delimiter(u8),
    /// The first non-blank line indented no deeper than this.
    Dedent(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str, markup: Markup) -> Vec<&str> {
        code_blocks(text.as_bytes(), markup)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn markdown_rst_and_asciidoc_blocks() {
        assert_eq!(
            blocks(
                "a\n```json\n{\"password\": \"x\"}\n```\nb\n",
                Markup::Markdown
            ),
            vec!["{\"password\": \"x\"}\n"]
        );
        assert_eq!(
            blocks("~~~~\nx\n~~~\ny\n~~~~\nz\n", Markup::Markdown),
            vec!["x\n~~~\ny\n"]
        );
        // In Markdown a line of dashes is a rule or a heading's underline.
        assert!(blocks("Title\n----\ntext\n", Markup::Markdown).is_empty());
        assert_eq!(
            blocks("The user::\n\n   key = v\n\nNext paragraph.\n", Markup::Rst),
            vec!["\n   key = v\n\n"]
        );
        assert_eq!(
            blocks(".. code-block:: yaml\n\n   a: b\nText\n", Markup::Rst),
            vec!["\n   a: b\n"]
        );
        assert_eq!(
            blocks("[source]\n----\nx=1\n----\nafter\n", Markup::AsciiDoc),
            vec!["x=1\n"]
        );
        assert_eq!(
            blocks("```\nopen to the end\n", Markup::Markdown),
            vec!["open to the end\n"]
        );
        assert!(blocks("no blocks here\n- a list\n", Markup::Markdown).is_empty());
        for m in [Markup::Markdown, Markup::Rst, Markup::AsciiDoc] {
            assert!(blocks("\n\n  \n", m).is_empty());
        }
    }

    #[test]
    fn documentation_pages() {
        for p in ["README.md", "docs/api.MDX", "guide.rst", "docs/db.adoc"] {
            assert!(markup(p.as_bytes()).is_some(), "{p}");
        }
        for p in ["config.yml", "src/main.rs", "Makefile", "md"] {
            assert_eq!(markup(p.as_bytes()), None, "{p}");
        }
    }
}
