"""``python -m graph`` runs the command line, like the ``conflictkg`` script."""

from graph.cli import main

main()
