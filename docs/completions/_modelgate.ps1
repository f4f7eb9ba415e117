
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'modelgate' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'modelgate'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'modelgate' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a model repository against its release policy')
            [CompletionResult]::new('classify', 'classify', [CompletionResultType]::ParameterValue, 'Say how open a release is: licences, components, OSAID, MOF class, EU AI Act exemption')
            [CompletionResult]::new('bom', 'bom', [CompletionResultType]::ParameterValue, 'Write the release''s bill of materials (CycloneDX 1.6 JSON), each field with its source')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: what it checks, why, and how to fix it')
            [CompletionResult]::new('test-rules', 'test-rules', [CompletionResultType]::ParameterValue, 'Run the examples of rule packs (default: the built-in packs)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a policy, a model card and a data statement skeleton for a release mode')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script of a shell (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('cli-docs', 'cli-docs', [CompletionResultType]::ParameterValue, 'Generate the man pages and shell completions under DIR (maintainers)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Generate modelgate.schema.json and rule-pack.schema.json in DIR (maintainers)')
            [CompletionResult]::new('docs', 'docs', [CompletionResultType]::ParameterValue, 'Generate the rule pages under DIR/rules (maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'modelgate;check' {
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The policy file (default: PATH/modelgate.toml)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Check as this release mode, whatever the policy says')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest level that makes the exit status 1')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to this file instead of standard output')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to FILE, from the same run (repeatable)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings that are not in this baseline file')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Record the current findings in this baseline file')
            [CompletionResult]::new('--diff-base', '--diff-base', [CompletionResultType]::ParameterName, 'Report only findings in files changed since the merge base with REV (and the repository-level ones)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the fixes that are certain, then report what remains')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --fix: print the changes as a diff and write nothing')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Check the git index (what the next commit holds) instead of the work tree')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Also report closed files and secrets that any commit reachable from HEAD published')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'modelgate;classify' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;bom' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the BOM to this file instead of standard output')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('--no-hashes', '--no-hashes', [CompletionResultType]::ParameterName, 'Do not read weight files for their SHA-256')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'modelgate;rules' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;explain' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;test-rules' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;init' {
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'mode')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of the card''s headings and hints')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;cli-docs' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write the files (otherwise only check they are current)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write the files (otherwise only check they are current)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;docs' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto is a terminal''s, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE colour a pipe)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write the pages (otherwise only check they are current)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the report (and the errors that stop a run): no notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'modelgate;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a model repository against its release policy')
            [CompletionResult]::new('classify', 'classify', [CompletionResultType]::ParameterValue, 'Say how open a release is: licences, components, OSAID, MOF class, EU AI Act exemption')
            [CompletionResult]::new('bom', 'bom', [CompletionResultType]::ParameterValue, 'Write the release''s bill of materials (CycloneDX 1.6 JSON), each field with its source')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a rule: what it checks, why, and how to fix it')
            [CompletionResult]::new('test-rules', 'test-rules', [CompletionResultType]::ParameterValue, 'Run the examples of rule packs (default: the built-in packs)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a policy, a model card and a data statement skeleton for a release mode')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script of a shell (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('cli-docs', 'cli-docs', [CompletionResultType]::ParameterValue, 'Generate the man pages and shell completions under DIR (maintainers)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Generate modelgate.schema.json and rule-pack.schema.json in DIR (maintainers)')
            [CompletionResult]::new('docs', 'docs', [CompletionResultType]::ParameterValue, 'Generate the rule pages under DIR/rules (maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'modelgate;help;check' {
            break
        }
        'modelgate;help;classify' {
            break
        }
        'modelgate;help;bom' {
            break
        }
        'modelgate;help;rules' {
            break
        }
        'modelgate;help;explain' {
            break
        }
        'modelgate;help;test-rules' {
            break
        }
        'modelgate;help;init' {
            break
        }
        'modelgate;help;completions' {
            break
        }
        'modelgate;help;cli-docs' {
            break
        }
        'modelgate;help;schema' {
            break
        }
        'modelgate;help;docs' {
            break
        }
        'modelgate;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
