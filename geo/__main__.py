"""``python -m geo`` runs the command line."""

from .cli import main

main()
