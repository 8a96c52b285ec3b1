//! An entry's `run` and `fix` commands, from its preset and its own `run`, `fix` and `tool`.
//! `{tool}` in a command stands for the executable: the entry's `tool`, else the preset's
//! program. A preset's check and fix come as a pair, so replacing one of them alone is an error
//! that says what to write: a `run` with other options or another program would leave the
//! preset's `fix` formatting differently from what `run` checks.

use serde::Deserialize;

use super::command::Template;
use super::presets::Preset;

pub const TOOL: &str = "{tool}";

/// `fix`: a command, or `false` for none.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RawFix {
    Command(String),
    Flag(bool),
}

/// What the entry wrote.
pub struct Given<'a> {
    pub name: &'a str,
    pub preset: Option<&'static Preset>,
    pub run: Option<String>,
    pub fix: Option<RawFix>,
    pub tool: Option<String>,
}

pub struct Commands {
    pub run: Template,
    pub fix: Option<Template>,
    /// The executable to look for before `run` / `fix` starts, when the command says `{tool}`
    /// (its first word may be `sh`, as in the gofmt preset).
    pub run_tool: Option<String>,
    pub fix_tool: Option<String>,
}

pub fn commands(g: Given<'_>) -> Result<Commands, String> {
    let name = g.name;
    if g.tool.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(format!("lint `{name}`: `tool` is empty; name the executable, e.g. tool = \"node_modules/.bin/eslint\", or remove `tool`"));
    }
    let tool_set = g.tool.is_some();
    let tool = g.tool.or_else(|| g.preset.map(|p| p.tool.to_owned()));
    let fix_given = match g.fix {
        None => None,
        Some(RawFix::Command(c)) => Some(Some(c)),
        Some(RawFix::Flag(false)) => Some(None),
        Some(RawFix::Flag(true)) => {
            return Err(format!("lint `{name}`: fix = true is not a command; write the command that fixes, e.g. fix = \"black {{files}}\", or fix = false for none (fix mode itself is [lint_options] fix = true)"));
        }
    };
    if let Some(p) = g.preset {
        pair_check(name, p, tool.as_deref(), g.run.is_some(), &fix_given)?;
    }
    let run_text = g
        .run
        .or_else(|| g.preset.map(|p| p.run.to_owned()))
        .ok_or_else(|| format!("lint `{name}`: set `run`, the command to run, e.g. run = \"black --check {{files}}\""))?;
    let fix_text = fix_given.unwrap_or_else(|| g.preset.and_then(|p| p.fix.map(str::to_owned)));
    let uses = |t: &Option<String>| t.as_deref().is_some_and(|t| t.contains(TOOL));
    let (run_uses, fix_uses) = (run_text.contains(TOOL), uses(&fix_text));
    let tool = match tool {
        Some(t) if run_uses || fix_uses => t,
        _ if tool_set => {
            return Err(format!("lint `{name}`: `tool` is set but neither `run` nor `fix` says {TOOL}, so it would be ignored; write {TOOL} where the program goes, e.g. run = \"{TOOL} --check {{files}}\", or remove `tool`"));
        }
        None if run_uses || fix_uses => {
            return Err(format!("lint `{name}`: the command says {TOOL} but no `tool` is set; set tool = \"PATH-OR-NAME\" or write the program itself"));
        }
        _ => String::new(),
    };
    let run = Template::parse(&with_tool(&run_text, &tool))
        .map_err(|e| format!("lint `{name}`: run: {e}"))?;
    let fix = match &fix_text {
        Some(f) => Some(
            Template::parse(&with_tool(f, &tool))
                .map_err(|e| format!("lint `{name}`: fix: {e}"))?,
        ),
        None => None,
    };
    Ok(Commands {
        run,
        fix,
        run_tool: run_uses.then(|| tool.clone()),
        fix_tool: fix_uses.then_some(tool),
    })
}

/// A preset's `run` and `fix` are replaced together, or not at all (`fix = false` drops the fix).
fn pair_check(
    name: &str,
    p: &Preset,
    tool: Option<&str>,
    run_given: bool,
    fix_given: &Option<Option<String>>,
) -> Result<(), String> {
    let Some(preset_fix) = p.fix else {
        return Ok(());
    };
    let shown = |t: &str| with_tool(t, tool.unwrap_or(p.tool));
    match (run_given, fix_given) {
        (true, None) => Err(format!(
            "lint `{name}`: `run` replaces the `{}` preset's check, but its fix (`{}`) would still run in fix mode and may not match it; set `fix` as well (the same program and options, fixing instead of checking), or fix = false for none",
            p.name,
            shown(preset_fix)
        )),
        (false, Some(Some(_))) => Err(format!(
            "lint `{name}`: `fix` replaces the `{}` preset's fix, but its check (`{}`) would still judge the result and may not match it; set `run` as well, or remove `fix` to keep the preset's pair",
            p.name,
            shown(p.run)
        )),
        _ => Ok(()),
    }
}

/// `text` with each `{tool}` replaced by `tool`, quoted for the shell-style splitting commands
/// get when it holds spaces or quotes.
fn with_tool(text: &str, tool: &str) -> String {
    if !text.contains(TOOL) {
        return text.to_owned();
    }
    let plain = !tool.is_empty()
        && tool
            .chars()
            .all(|c| c.is_alphanumeric() || "_-./:@%+=,".contains(c));
    let quoted = if plain {
        tool.to_owned()
    } else {
        format!("'{}'", tool.replace('\'', "'\\''"))
    };
    text.replace(TOOL, &quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_is_quoted_when_it_needs_it() {
        assert_eq!(with_tool("{tool} -q", "black"), "black -q");
        assert_eq!(
            with_tool("{tool} -q", "/opt/my tools/it's"),
            "'/opt/my tools/it'\\''s' -q"
        );
        let t = Template::parse(&with_tool("{tool} -q", "/opt/my tools/it's")).unwrap();
        assert_eq!(t.program(), "/opt/my tools/it's");
    }
}
