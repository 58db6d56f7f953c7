"""Permission-matrix rows of the people pages (kexie/people/views/people.py)."""

from tests.permission_cases import Case

PERSON_A = lambda w: {"pk": w.talent.person_a.pk}  # noqa: E731  张伟, kept by 甲县科协
NO_PEOPLE = ("auditor", "sysadmin")  # the separated administrators never read the talent pool

CASES = {
    "people:list": Case(forbidden=NO_PEOPLE),
    "people:list_count": Case(forbidden=NO_PEOPLE),
    "people:export": Case(forbidden=NO_PEOPLE),
    "people:reveal_list": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=("county_staff", "society_secretary", *NO_PEOPLE),
        data=lambda w: {"q": "张伟", "reason": "年度专家联络"},
    ),
    "people:create": Case(method="POST", write=True, forbidden=NO_PEOPLE),
    "people:detail": Case(kwargs=PERSON_A, target="county_a", forbidden=NO_PEOPLE),
    "people:reveal": Case(
        kwargs=PERSON_A,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        forbidden=("county_staff", *NO_PEOPLE),
        data=lambda w: {"reason": "核对表彰申报材料"},
    ),
    "people:update": Case(kwargs=PERSON_A, method="POST", target="county_a", write=True, forbidden=NO_PEOPLE),
}
