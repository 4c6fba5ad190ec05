"""Allow ``python -m tender``."""

from tender.cli import main

main()
