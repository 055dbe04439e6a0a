"""``python -m graph.serve --worker STORE_DIR [--nice N]``: a query worker (started by the server)."""

from __future__ import annotations

import sys

from graph.serve.worker import worker_main


def main(argv: list[str]) -> int:
    nice = argv[3] if len(argv) == 4 and argv[2] == "--nice" else "0"
    if len(argv) not in (2, 4) or argv[0] != "--worker" or not nice.lstrip("-").isdigit():
        print("usage: python -m graph.serve --worker STORE_DIR [--nice N]  (started by `conflictkg serve`)")
        return 2
    worker_main(argv[1], int(nice))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
