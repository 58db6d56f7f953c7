"""The sign-up load benchmark (bench/signup_load.py) at a tiny size: 60 people sign up for
20 places through the public API of a live server, four at a time."""

import pytest

from bench import signup_load
from kexie.activities.models import Signup
from kexie.activities.services import signups as services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

REQUESTS, THREADS, PLACES = 60, 4, 20


def load(live_server, world, *, waitlist: bool):
    return signup_load.run(
        live_server.url,
        organization=world.county_a,
        requests=REQUESTS,
        concurrency=THREADS,
        places=PLACES,
        waitlist=waitlist,
    )


def test_sixty_people_for_twenty_places_fill_them_exactly_and_wait_for_the_rest(live_server, world, capsys):
    result = load(live_server, world, waitlist=True)
    print(signup_load.summary(result))

    assert result.statuses == {"201 confirmed": PLACES, "201 waitlisted": REQUESTS - PLACES}
    assert (result.confirmed, result.waitlisted) == (PLACES, REQUESTS - PLACES)
    assert result.distinct_codes == result.signups == REQUESTS
    assert result.problems == []
    assert result.queries > 0
    out = capsys.readouterr().out
    assert f"{REQUESTS} requests, {THREADS} threads, {PLACES} places, waiting list on" in out
    assert "latency p95" in out and "queries per sign-up" in out
    assert "checked: every place taken exactly once, the rest on the waiting list" in out


def test_without_a_waiting_list_the_rest_are_refused_and_nobody_waits(live_server, world, capsys):
    result = load(live_server, world, waitlist=False)
    print(signup_load.summary(result))

    assert result.statuses == {"201 confirmed": PLACES, "400": REQUESTS - PLACES}
    assert Signup.objects.filter(status=Signup.Status.WAITLISTED).count() == 0
    assert result.problems == []
    assert "the rest refused, no 5xx" in capsys.readouterr().out


def test_the_rate_limit_is_back_to_normal_after_the_run(live_server, world):
    before = services.RATE_PER_IP
    load(live_server, world, waitlist=True)
    assert services.RATE_PER_IP == before == 30
