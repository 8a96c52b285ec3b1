# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_git_hygiene_global_optspecs
    string join \n format= config= no-color q/quiet v/verbose only= skip= report= h/help V/version
end

function __fish_git_hygiene_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_git_hygiene_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_git_hygiene_using_subcommand
    set -l cmd (__fish_git_hygiene_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "install" -d 'Write the git hooks into this repository, or into the hook manager it already uses'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "uninstall" -d 'Remove the hooks and put back any hook they replaced'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "init" -d 'Write a commented starter .hygiene.toml'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "hook" -d 'What the hook shims call: pre-commit, commit-msg, prepare-commit-msg, pre-push, and on the server pre-receive'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "ci" -d 'Judge a merge request: every commit of merge-base(BASE, HEAD)..HEAD'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "scan" -d 'Audit a directory tree (or, with --history, commits)'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "check" -d 'Run the pre-commit checks by hand on what is staged, or on whole files of the work tree'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "config" -d 'Show the resolved config: with --show PATH, the config that judges that file (nested configs and `extends` merged), each key with the file and line it came from'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "policy" -d 'Shared policies (`extends = [{ git, rev, path }]`): `policy update` fetches them again'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "restore" -d 'Put back unstaged changes saved by a git-hygiene run that was killed (also done automatically by the next command)'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "baseline" -d 'Record today\'s secret findings in .hygiene-baseline so they are not reported again'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "rules" -d 'List every check and rule'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "explain" -d 'Explain a rule or a check: what it reports, why, and how to fix or allow it'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "adr" -d 'Architecture Decision Records: `adr new "Title"` writes the next-numbered one'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "completions" -d 'Print a shell completion script (bash also completes `git hygiene …`): `git hygiene completions bash > ~/.local/share/bash-completion/completions/git-hygiene`'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "generate-docs" -d 'Write the man pages, the HTML help page and the completion scripts under DIR (a `share/` directory), for packages'
complete -c git-hygiene -n "__fish_git_hygiene_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l hook -d 'Only this hook (repeatable). With pre-commit or prek, writes git-hygiene\'s own hook alongside theirs: `--hook pre-push` judges every pushed ref, deletions and force-pushes included' -r -f -a "pre-commit\t''
commit-msg\t''
prepare-commit-msg\t''
pre-push\t''"
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l force -d 'Write git-hygiene\'s own shims into git\'s hooks directory whatever manages it (hooks already there are kept as NAME.legacy and run first), even when core.hooksPath comes from your global or system config'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand install" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand uninstall" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l force -d 'Overwrite an existing .hygiene.toml'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand init" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand hook" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l base -d 'The target side: branch, tag or commit the MR merges into (default: from the CI environment)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l head -d 'The MR\'s head commit (default: from the CI environment, else HEAD)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l branch -d 'The source branch name (default: from the CI environment, else the current branch)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l target-branch -d 'The branch the MR merges into (default: from the CI environment)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l title -d 'The MR title' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l description -d 'The MR description' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l shard -d 'Judge only part I of N (1-based); default: GitLab\'s CI_NODE_INDEX/CI_NODE_TOTAL' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand ci" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l history -d 'Scan commits instead of files: all of HEAD\'s history, or RANGE (A..B, or a revision)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l shard -d 'Judge only part I of N (1-based); default: GitLab\'s CI_NODE_INDEX/CI_NODE_TOTAL' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand scan" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l files -d 'Judge these files as they are in the work tree (tracked or not; a directory: the tracked files under it)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l staged -d 'Judge the staged changes (the default)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l all-files -d 'Judge every tracked file of the work tree (`git ls-files`) as it is'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l fix -d 'Run the lint entries\' `fix` commands: staged run, re-stage the files they change; with --all-files/--files, leave the fixes in the work tree'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand check" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l show -d 'Print it (PATH: a file of the repository; none: the root config)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand config" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -f -a "update" -d 'Fetch every `{ git, rev, path }` source of `extends` again, in the root and nested configs'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and not __fish_seen_subcommand_from update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "update" -d 'Fetch every `{ git, rev, path }` source of `extends` again, in the root and nested configs'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand restore" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand baseline" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand rules" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand explain" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -f -a "new" -d 'Create the next-numbered ADR and print its path'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and not __fish_seen_subcommand_from new help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l supersedes -d 'Mark ADR N as superseded by the new one' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l status -d 'Initial status' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create the next-numbered ADR and print its path'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand adr; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand completions" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l format -d 'Output format on stdout: human or json' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l config -d 'Config file (default: .hygiene.toml at the repository root)' -r -F
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l only -d 'Run only these checks (comma-separated ids)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l skip -d 'Skip these checks (comma-separated ids; HYGIENE_SKIP does the same)' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l report -d 'Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable' -r
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -l no-color -d 'No colours (also: NO_COLOR set, or output not a terminal)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -s q -l quiet -d 'Print only findings, no summary when everything is fine'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -s v -l verbose -d 'Also print notes: skipped files, allowed findings'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -s h -l help -d 'Print help'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "install" -d 'Write the git hooks into this repository, or into the hook manager it already uses'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "uninstall" -d 'Remove the hooks and put back any hook they replaced'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "init" -d 'Write a commented starter .hygiene.toml'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "hook" -d 'What the hook shims call: pre-commit, commit-msg, prepare-commit-msg, pre-push, and on the server pre-receive'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "ci" -d 'Judge a merge request: every commit of merge-base(BASE, HEAD)..HEAD'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "scan" -d 'Audit a directory tree (or, with --history, commits)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "check" -d 'Run the pre-commit checks by hand on what is staged, or on whole files of the work tree'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "config" -d 'Show the resolved config: with --show PATH, the config that judges that file (nested configs and `extends` merged), each key with the file and line it came from'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "policy" -d 'Shared policies (`extends = [{ git, rev, path }]`): `policy update` fetches them again'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "restore" -d 'Put back unstaged changes saved by a git-hygiene run that was killed (also done automatically by the next command)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "baseline" -d 'Record today\'s secret findings in .hygiene-baseline so they are not reported again'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "rules" -d 'List every check and rule'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "explain" -d 'Explain a rule or a check: what it reports, why, and how to fix or allow it'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "adr" -d 'Architecture Decision Records: `adr new "Title"` writes the next-numbered one'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "completions" -d 'Print a shell completion script (bash also completes `git hygiene …`): `git hygiene completions bash > ~/.local/share/bash-completion/completions/git-hygiene`'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "generate-docs" -d 'Write the man pages, the HTML help page and the completion scripts under DIR (a `share/` directory), for packages'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and not __fish_seen_subcommand_from install uninstall init hook ci scan check config policy restore baseline rules explain adr completions generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "update" -d 'Fetch every `{ git, rev, path }` source of `extends` again, in the root and nested configs'
complete -c git-hygiene -n "__fish_git_hygiene_using_subcommand help; and __fish_seen_subcommand_from adr" -f -a "new" -d 'Create the next-numbered ADR and print its path'
