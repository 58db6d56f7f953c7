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
