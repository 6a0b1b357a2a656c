"""Two-factor sign-in is off in the test settings (the other tests sign in with a password alone);
these tests turn it on."""

import pytest


@pytest.fixture
def two_factor(settings):
    """TWO_FACTOR_REQUIRED, as in production settings."""
    settings.TWO_FACTOR_REQUIRED = True
    return settings
