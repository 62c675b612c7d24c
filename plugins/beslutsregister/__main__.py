"""``python -m beslutsregister check``."""

import sys

from .cli import main

sys.exit(main())
