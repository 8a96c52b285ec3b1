//! Where a key is written in a config file, for errors found after the file has been read into
//! plain tables (which carry no positions) and for `config --show`. Parsed again only when a
//! position is wanted, which is on an error or on demand.

use toml_edit::{ImDocument, Item};

/// One step of a key path.
#[derive(Debug, Clone)]
pub enum Step<'a> {
    Key(&'a str),
    /// An element of an array (`extends[1]`).
    Index(usize),
    /// The `[[lint]]`-style entry with this `name` (or `preset`).
    Named(&'a str),
}

/// Where the walk is: an item, or an entry of an array of tables (a table, not an item).
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Entry(&'a toml_edit::Table),
}

impl<'a> Node<'a> {
    fn table_like(self) -> Option<&'a dyn toml_edit::TableLike> {
        match self {
            Node::Item(i) => i.as_table_like(),
            Node::Entry(t) => Some(t),
        }
    }
    fn item(self) -> Option<&'a Item> {
        match self {
            Node::Item(i) => Some(i),
            Node::Entry(_) => None,
        }
    }
}

/// The byte offset where `path` is written in `text`: the key for a key, the element for an
/// element; the deepest step found when the rest is not written.
pub fn offset_of(text: &str, path: &[Step<'_>]) -> usize {
    let Ok(doc) = ImDocument::parse(text) else {
        return 0;
    };
    let mut node = Node::Item(doc.as_item());
    let mut at = 0;
    for step in path {
        let found: Option<(Node<'_>, Option<std::ops::Range<usize>>)> = match step {
            Step::Key(k) => node
                .table_like()
                .and_then(|t| t.get_key_value(k))
                .map(|(key, v)| (Node::Item(v), key.span())),
            Step::Index(i) => node
                .item()
                .and_then(Item::as_array)
                .and_then(|a| a.get(*i))
                .map(|v| (node, v.span())),
            Step::Named(name) => node
                .item()
                .and_then(Item::as_array_of_tables)
                .and_then(|a| a.iter().find(|t| entry_name(t) == Some(name)))
                .map(|t| {
                    let key = t
                        .get_key_value("name")
                        .or_else(|| t.get_key_value("preset"))
                        .and_then(|(k, _)| k.span());
                    (Node::Entry(t), key)
                }),
        };
        let Some((next, span)) = found else { break };
        if let Some(s) = span {
            at = s.start;
        }
        node = next;
    }
    at
}

fn entry_name(t: &toml_edit::Table) -> Option<&str> {
    t.get("name")
        .or_else(|| t.get("preset"))
        .and_then(Item::as_str)
}

/// 1-based line of `path` in `text`.
pub fn line_of(text: &str, path: &[Step<'_>]) -> usize {
    super::line_col(text, offset_of(text, path)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_elements_and_entries_are_found() {
        let text = "extends = [\n  \"a.toml\",\n  \"b.toml\",\n]\n[secrets]\nallow_paths = [\"x\"]\n[[lint]]\nname = \"one\"\n[[lint]]\nname = \"two\"\nrun = \"t\"\n";
        assert_eq!(line_of(text, &[Step::Key("extends"), Step::Index(1)]), 3);
        assert_eq!(
            line_of(text, &[Step::Key("secrets"), Step::Key("allow_paths")]),
            6
        );
        assert_eq!(line_of(text, &[Step::Key("lint"), Step::Named("two")]), 10);
        assert_eq!(
            line_of(
                text,
                &[Step::Key("lint"), Step::Named("two"), Step::Key("run")]
            ),
            11
        );
        assert_eq!(line_of(text, &[Step::Key("branch")]), 1);
    }
}
