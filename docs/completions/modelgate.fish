# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_modelgate_global_optspecs
    string join \n color= q/quiet h/help V/version
end

function __fish_modelgate_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_modelgate_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_modelgate_using_subcommand
    set -l cmd (__fish_modelgate_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c modelgate -n "__fish_modelgate_needs_command" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_needs_command" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_needs_command" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_needs_command" -s V -l version -d 'Print version'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "check" -d 'Check a model repository against its release policy'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "classify" -d 'Say how open a release is: licences, components, OSAID, MOF class, EU AI Act exemption'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "bom" -d 'Write the release\'s bill of materials (CycloneDX 1.6 JSON), each field with its source'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "rules" -d 'List the rules'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "explain" -d 'Explain a rule: what it checks, why, and how to fix it'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "test-rules" -d 'Run the examples of rule packs (default: the built-in packs)'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "init" -d 'Write a policy, a model card and a data statement skeleton for a release mode'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "completions" -d 'Print the completion script of a shell (bash, zsh, fish, powershell, elvish)'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "cli-docs" -d 'Generate the man pages and shell completions under DIR (maintainers)'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "schema" -d 'Generate modelgate.schema.json and rule-pack.schema.json in DIR (maintainers)'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "docs" -d 'Generate the rule pages under DIR/rules (maintainers)'
complete -c modelgate -n "__fish_modelgate_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l policy -d 'The policy file (default: PATH/modelgate.toml)' -r -F
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l mode -d 'Check as this release mode, whatever the policy says' -r -f -a "open\t''
closed\t''
hybrid\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l format -r -f -a "human\t''
json\t''
sarif\t'SARIF 2.1.0, for code scanning'
github\t'GitHub Actions annotations (and a summary in $GITHUB_STEP_SUMMARY)'"
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l fail-on -d 'The lowest level that makes the exit status 1' -r -f -a "error\t''
warning\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l output -d 'Write the report to this file instead of standard output' -r -F
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l output-format -d 'Also write the report in FORMAT to FILE, from the same run (repeatable)' -r
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l baseline -d 'Report only findings that are not in this baseline file' -r -F
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l write-baseline -d 'Record the current findings in this baseline file' -r -F
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l diff-base -d 'Report only findings in files changed since the merge base with REV (and the repository-level ones)' -r
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l fix -d 'Apply the fixes that are certain, then report what remains'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l diff -d 'With --fix: print the changes as a diff and write nothing'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l staged -d 'Check the git index (what the next commit holds) instead of the work tree'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -l history -d 'Also report closed files and secrets that any commit reachable from HEAD published'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c modelgate -n "__fish_modelgate_using_subcommand classify" -l format -r -f -a "human\t''
json\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand classify" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand classify" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand classify" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -l format -r -f -a "cyclonedx-json\t'CycloneDX 1.6, JSON'"
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -l output -d 'Write the BOM to this file instead of standard output' -r -F
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -l no-hashes -d 'Do not read weight files for their SHA-256'
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand bom" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c modelgate -n "__fish_modelgate_using_subcommand rules" -l format -r -f -a "human\t''
json\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand rules" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand rules" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand rules" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand explain" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand explain" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand explain" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand test-rules" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand test-rules" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand test-rules" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand init" -l mode -r -f -a "open\t''
closed\t''
hybrid\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand init" -l lang -d 'The language of the card\'s headings and hints' -r -f -a "en\t''
zh\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand init" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand init" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand init" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand completions" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand completions" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand completions" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand cli-docs" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand cli-docs" -l write -d 'Write the files (otherwise only check they are current)'
complete -c modelgate -n "__fish_modelgate_using_subcommand cli-docs" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand cli-docs" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand schema" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand schema" -l write -d 'Write the files (otherwise only check they are current)'
complete -c modelgate -n "__fish_modelgate_using_subcommand schema" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand schema" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand docs" -l color -d 'Colour: auto is a terminal\'s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c modelgate -n "__fish_modelgate_using_subcommand docs" -l write -d 'Write the pages (otherwise only check they are current)'
complete -c modelgate -n "__fish_modelgate_using_subcommand docs" -s q -l quiet -d 'Print only the report (and the errors that stop a run): no notes on stderr'
complete -c modelgate -n "__fish_modelgate_using_subcommand docs" -s h -l help -d 'Print help'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "check" -d 'Check a model repository against its release policy'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "classify" -d 'Say how open a release is: licences, components, OSAID, MOF class, EU AI Act exemption'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "bom" -d 'Write the release\'s bill of materials (CycloneDX 1.6 JSON), each field with its source'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "rules" -d 'List the rules'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "explain" -d 'Explain a rule: what it checks, why, and how to fix it'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "test-rules" -d 'Run the examples of rule packs (default: the built-in packs)'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "init" -d 'Write a policy, a model card and a data statement skeleton for a release mode'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "completions" -d 'Print the completion script of a shell (bash, zsh, fish, powershell, elvish)'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "cli-docs" -d 'Generate the man pages and shell completions under DIR (maintainers)'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "schema" -d 'Generate modelgate.schema.json and rule-pack.schema.json in DIR (maintainers)'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "docs" -d 'Generate the rule pages under DIR/rules (maintainers)'
complete -c modelgate -n "__fish_modelgate_using_subcommand help; and not __fish_seen_subcommand_from check classify bom rules explain test-rules init completions cli-docs schema docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
