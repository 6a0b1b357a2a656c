"""The import tests' day: a module that imports files marks itself `usefixtures("on_the_import_day")`."""

import pytest
import time_machine

from .helpers import NOW


@pytest.fixture
def on_the_import_day():
    """Every test of the module imports on Monday 2 March 2026, the clock stopped."""
    with time_machine.travel(NOW, tick=False):
        yield
