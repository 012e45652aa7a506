"""Every AD test runs on both backends (see tests/execution.py)."""

import pytest


@pytest.fixture(autouse=True)
def _every_ad_test_on_both_backends(backend):
    return backend
