"""`python -m benchmarks [--quick] [--only P1,P2]`: see benchmarks/run.py and docs/benchmarks.md."""

import sys

from benchmarks.run import main

sys.exit(main())
