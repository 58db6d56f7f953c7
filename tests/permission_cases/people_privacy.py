"""Permission-matrix rows: consents, anonymizing, portal accounts, the personal portal and
talent-pool statistics (kexie/people/urls/portal.py).

The personal portal's owner is the persona "portal": the portal account of 张伟 (county A),
created by `matrix_world` on first use. Any other account has no linked person and gets
404 there, which kexie/people/tests/test_portal.py checks.
"""

from datetime import date

from tests.permission_cases import Case

PERSON_A = lambda w: {"pk": w.talent.person_a.pk}  # noqa: E731  a person kept by county A


def _consent_of_person_a(w) -> dict:
    from kexie.people.models import Consent

    consent, _ = Consent.objects.get_or_create(
        person=w.talent.person_a,
        purpose=Consent.Purpose.TALENT_POOL,
        defaults={
            "notice": "人才库个人信息告知书",
            "method": Consent.Method.PAPER,
            "given_on": date(2025, 1, 1),
        },
    )
    return {"pk": consent.pk}


CASES = {
    "people:consent_create": Case(
        kwargs=PERSON_A,
        method="POST",
        target="county_a",
        write=True,
        forbidden=("auditor", "sysadmin"),
        data=lambda w: {
            "purpose": "talent_pool",
            "notice": "人才库个人信息告知书（2025版）",
            "method": "paper",
            "given_on": "2025-03-01",
            "given_by": "self",
        },
    ),
    "people:consent_withdraw": Case(
        kwargs=_consent_of_person_a,
        method="POST",
        target="county_a",
        write=True,
        forbidden=("auditor",),
        data=lambda w: {"withdrawn_on": "2025-06-30"},
    ),
    "people:anonymize": Case(
        kwargs=PERSON_A,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", "auditor"),
        data=lambda w: {"reason": "本人书面申请", "confirm": "on"},
    ),
    "people:portal_account": Case(
        kwargs=PERSON_A,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", "auditor"),
        data=lambda w: {"username": "zhangwei"},
    ),
    "people:portal_account_disable": Case(
        kwargs=PERSON_A,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff",),
    ),
    "people:me": Case(owner="portal"),
    "people:me_edit": Case(owner="portal"),
    "people:me_download": Case(owner="portal", query=lambda w: "?format=json"),
    "people:stats": Case(forbidden=("auditor", "sysadmin")),
    "people:stats_export": Case(forbidden=("auditor", "secadmin")),
}
