import asyncio, greenlet
from django.db import connections
from tests.e2e.test_browser import browser  # noqa
import pytest

@pytest.fixture(scope="session")
def probe(django_db_setup):
    print("after setup NAME", connections["default"].settings_dict["NAME"], id(connections["default"]), greenlet.getcurrent())

def test_dbg(probe):
    print("test NAME", connections["default"].settings_dict["NAME"], id(connections["default"]), greenlet.getcurrent())
