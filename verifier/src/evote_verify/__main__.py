"""python -m evote_verify RECORD"""

from .cli import main

main()
