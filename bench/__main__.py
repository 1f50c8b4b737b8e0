"""`python -m bench` (or `./dev bench`): every benchmark, one after the other."""

from __future__ import annotations

from . import delegate_page, rehearsal, tally, validation


def main() -> None:
    validation.main([])
    print()
    tally.main([])
    try:
        from . import verifier  # needs the standalone verifier package (./dev installs it)
    except ImportError as exc:
        print(f"\n(verifier benchmark skipped: {exc})")
    else:
        print()
        verifier.main([])
    print()
    delegate_page.main([])  # the delegate page in Chromium, with and without voting codes
    print()
    rehearsal.main([])  # 1,000 delegates against a local server: the longest, last


if __name__ == "__main__":
    main()
