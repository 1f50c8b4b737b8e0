"""`python -m bench` (or `./dev bench`): every benchmark, one after the other."""

from __future__ import annotations

from . import tally, validation


def main() -> None:
    validation.main([])
    print()
    tally.main([])


if __name__ == "__main__":
    main()
