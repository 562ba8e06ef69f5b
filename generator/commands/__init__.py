"""The commands: one module each, with `run(args) -> Exit`. cli.py parses the command line,
imports the chosen command's module and turns errors into exit codes.

    init.py validate.py generate.py check.py explain.py diff.py
    produce.py   the project's outputs, from the cache or built by the pipeline
"""

COMMANDS = ("init", "validate", "generate", "check", "explain", "diff")
