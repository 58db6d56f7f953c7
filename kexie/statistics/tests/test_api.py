"""/api/v1/statistics/: the definitions and their values, with the same numbers as the page."""

from django.urls import reverse

from kexie.statistics.definitions import all_definitions

VALUES = "statistics_api:values"


def values(client, **params):
    return client.get(reverse(VALUES), params)


def test_the_definitions_are_listed_with_what_they_count(api_client, world):
    response = api_client("viewer").get(reverse("statistics_api:definitions"))
    assert response.status_code == 200
    listed = {row["code"]: row for row in response.json()}
    assert set(listed) == {d.code for d in all_definitions()}
    audience = listed["popsci_onsite_audience"]
    assert (audience["service"], audience["aggregate"], audience["field"], audience["source"]) == (
        "literacy",
        "sum",
        "onsite_participants",
        "activities",
    )
    assert audience["description"]


def test_the_values_are_the_totals_of_the_scope_by_default(api_client, world, figures):
    response = values(
        api_client("city_admin"), start="2025-01-01", end="2025-12-31", codes="popsci_events,visits_made"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["organization"] == {"id": world.city.pk, "name": "示例市科学技术协会"}
    assert (data["start"], data["end"], data["breakdown"], data["columns"]) == (
        "2025-01-01",
        "2025-12-31",
        "",
        [],
    )
    totals = {figure["code"]: figure["total"] for figure in data["figures"]}
    assert totals == {"visits_made": 4, "popsci_events": 4}


def test_the_values_by_child_organization_sum_to_the_total(api_client, world, figures):
    response = values(
        api_client("city_admin"),
        organization=world.city.pk,
        start="2025-01-01",
        end="2025-12-31",
        breakdown="child",
        codes="popsci_onsite_audience",
    )
    data = response.json()
    columns = data["columns"]
    assert columns[0] == {
        "key": "own",
        "label": "示例市科协",
        "organization": world.city.pk,
        "own": True,
        "month": None,
    }
    assert columns[1]["organization"] == world.county_a.pk and columns[1]["key"] == str(world.county_a.pk)
    (figure,) = data["figures"]
    assert figure["values"][:3] == [0, 200, 30]
    assert sum(figure["values"]) == figure["total"] == 230


def test_the_values_by_month_have_one_column_a_month(api_client, world, figures):
    response = values(
        api_client("county_staff"),
        start="2025-03-01",
        end="2025-07-31",
        breakdown="month",
        codes="popsci_events",
    )
    data = response.json()
    assert [column["key"] for column in data["columns"]] == [
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
        "2025-07",
    ]
    assert data["figures"][0]["values"] == [1, 0, 0, 0, 2]
    assert data["figures"][0]["total"] == 3


def test_another_countys_organization_is_404(api_client, world, figures):
    response = values(api_client("county_b_staff"), organization=world.county_a.pk)
    assert response.status_code == 404
    assert values(api_client("county_staff"), organization=world.town_a.pk).status_code == 200


def test_malformed_parameters_are_a_400_in_chinese(api_client, world):
    client = api_client("city_admin")
    bad_date = values(client, start="2025-13-01")
    assert bad_date.status_code == 400
    assert "日期格式错误" in bad_date.json()["start"][0]
    bad_breakdown = values(client, breakdown="county")
    assert bad_breakdown.status_code == 400
    assert "不是合法选项" in bad_breakdown.json()["breakdown"][0]
    reversed_range = values(client, start="2025-09-01", end="2025-03-01")
    assert reversed_range.status_code == 400 and "end" in reversed_range.json()
    unknown = values(client, codes="popsci_events,nonsense")
    assert unknown.status_code == 400 and "nonsense" in unknown.json()["codes"][0]
    bad_organization = values(client, organization="abc")
    assert bad_organization.status_code == 400 and "整数" in bad_organization.json()["organization"][0]


def test_a_role_without_statistics_gets_403(api_client, world):
    assert values(api_client("auditor")).status_code == 403
    assert values(api_client()).status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(api_client, world):
    response = api_client("city_admin").get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "/api/v1/statistics/values/" in text and "/api/v1/statistics/definitions/" in text
    if schema is not None:
        parameters = {p["name"] for p in schema["paths"]["/api/v1/statistics/values/"]["get"]["parameters"]}
        assert {"organization", "start", "end", "breakdown", "codes"} <= parameters
