import sys

from mentor_desk.sandbox.cli import main

sys.exit(main(sys.argv[1:]))
