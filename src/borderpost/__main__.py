from borderpost.cli.main import app

app(prog_name="borderpost")
