"""The CLI's commands, one module per command; ``cli.COMMANDS`` names them and loads each on first use."""
