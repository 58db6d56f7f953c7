"""Numbers phrased as the reports phrase them: never more than the records hold."""

from decimal import Decimal

import pytest

from kexie.reports.phrasing import approx, phrase


@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (7, "7"),
        (126, "126"),
        (999, "999"),
        (1000, "1000"),
        (2345, "2300余"),
        (2300, "2300"),
        (9999, "9900余"),
        (10000, "1万"),
        (12345, "1.2万余"),
        (83000, "8.3万"),
        (83001, "8.3万余"),
        (1077805, "107.7万余"),
        (120000000, "1.2亿"),
        (123456789, "1.2亿余"),
        (Decimal("7.5"), "7.5"),
        (Decimal("9737.6"), "9700余"),
        (Decimal("10000.4"), "1万余"),
    ],
)
def test_a_number_is_rounded_down_and_says_more_than_when_it_drops_something(value, text):
    assert approx(value) == text


def test_the_unit_follows_the_number():
    assert phrase(12345, "人次") == "1.2万余人次"
    assert phrase(126, "场") == "126场"
