"""QuickSelect writes the markup Django's Select writes."""

from django import forms

from kexie.core.widgets import QuickSelect

CHOICES = [
    ("", "任意"),
    (1, "甲县人民医院"),
    ("数学", [(11, "代数"), (12, "几何 & <拓扑>")]),
    (2, 'A "quoted" unit'),
]


def markup(widget_class, value):
    class Form(forms.Form):
        field = forms.TypedChoiceField(choices=CHOICES, required=False, coerce=int, widget=widget_class)

    form = Form({"field": value} if value is not None else None)
    form.fields["field"].widget.attrs["class"] = "form-select form-select-sm"
    return str(form["field"])


def normalized(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


def test_the_quick_select_matches_django_select_for_every_value():
    for value in (None, "", "1", "12", "2"):
        assert normalized(markup(QuickSelect, value)) == normalized(markup(forms.Select, value)), value


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = markup(QuickSelect, "12")
    assert '<option value="12" selected>几何 &amp; &lt;拓扑&gt;</option>' in html
    assert '<optgroup label="数学">' in html and "A &quot;quoted&quot; unit" in html


def test_the_search_select_lists_only_the_choice_and_a_box_outside_any_form():
    from kexie.core.widgets import SearchSelect

    widget = SearchSelect(
        url="people:unit_options",
        url_query="blank=none",
        chosen_label={"7": "甲县 <人民> 医院"}.get,
        empty_label="---------",
        placeholder="查找",
        find_label="查找单位",
        attrs={"class": "form-select"},
    )
    html = widget.render("unit", 7, attrs={"id": "id_unit"})
    assert html.count("<option") == 2
    assert '<option value="7" selected>甲县 &lt;人民&gt; 医院</option>' in html
    assert 'form="id_unit_finder"' in html  # no such form: the box is never submitted
    assert 'hx-get="/people/units/options/?blank=none"' in html and 'hx-target="#id_unit"' in html
    assert widget.render("unit", 8, attrs={"id": "id_unit"}).count("<option") == 1  # names nothing
