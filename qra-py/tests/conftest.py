"""Shared pytest set-up: hypothesis draws reproducibly unless asked otherwise.

Property tests are derandomised (each test's examples follow from its own source), so a test run
is reproducible and CI's verdict does not depend on the draw; `QRA_RANDOM_HYPOTHESIS=1` restores
random draws (with hypothesis's example database) for exploring. A `@settings(...)` on a test
overrides only the fields it names, so this profile's `derandomize` applies to every test.
"""

import os

from hypothesis import settings

settings.register_profile("qra-reproducible", derandomize=True, database=None)
if os.environ.get("QRA_RANDOM_HYPOTHESIS") != "1":
    settings.load_profile("qra-reproducible")
