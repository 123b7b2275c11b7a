"""PyInstaller entry point: the same as the ``mentor-desk`` console script."""

import sys

from mentor_desk.__main__ import main

sys.exit(main())
