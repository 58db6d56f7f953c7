"""Form widgets."""

from django import forms
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written in Python instead of through one template per option: the same
    markup as Django's Select at a small part of the cost, for lists of hundreds of options
    (the units of a city, the disciplines) on pages that must answer in tens of ms."""

    def render(self, name, value, attrs=None, renderer=None):
        return self._select(name, value, self.build_attrs(self.attrs, attrs), self.choices)

    def _select(self, name, value, attrs: dict, choices) -> str:
        final_attrs = {"name": name, **attrs}
        chosen = {str(v) for v in self.format_value(value)}
        parts = ["<select", *self._attributes(final_attrs), ">"]
        for option_value, label in choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, text, chosen) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  every value in the parts is escaped

    @staticmethod
    def _attributes(attrs: dict):
        """Attributes in Django's order (the template's: name first, then the widget's)."""
        for key, value in attrs.items():
            if value is True:
                yield format_html(" {}", key)
            elif value is not False and value is not None:
                yield format_html(' {}="{}"', key, value)

    @staticmethod
    def _option(value, label, chosen: set[str]) -> str:
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        return f'<option value="{escape(value)}"{selected}>{conditional_escape(label)}</option>'


class SearchSelect(QuickSelect):
    """A <select> of the chosen option only, with a search box that fills it from `url` as
    the user types (htmx): for choices too many to list, such as the units of a city.

    The box has no form of its own (its `form` attribute names none), so the form around it
    submits the select's value alone. `url` (a URL name, with `url_query` added) answers
    with <option>s for its `find` parameter and keeps the current choice (it receives the
    select's value too); `chosen_label(value)` names the chosen option at first paint, or
    None when the value names nothing.
    """

    def __init__(self, *, url, chosen_label, empty_label, placeholder, find_label, url_query="", attrs=None):
        super().__init__(attrs)
        self.url, self.url_query, self.chosen_label = url, url_query, chosen_label
        self.empty_label, self.placeholder, self.find_label = empty_label, placeholder, find_label

    def use_required_attribute(self, initial) -> bool:
        return not self.is_hidden  # as any widget: the choices are not read to decide it

    def render(self, name, value, attrs=None, renderer=None):
        from django.urls import reverse

        attrs = self.build_attrs(self.attrs, attrs)
        select_id = attrs.setdefault("id", f"id_{name}")
        chosen = next(iter(self.format_value(value)), "")
        label = self.chosen_label(chosen) if chosen else None
        choices = [("", self.empty_label), *([(chosen, label)] if label is not None else [])]
        find = format_html(
            '<input type="search" class="form-control form-control-sm mb-1" id="{id}_find" name="find"'
            ' form="{id}_finder" autocomplete="off" maxlength="64" placeholder="{placeholder}"'
            ' aria-label="{label}" aria-controls="{id}" data-kx-find hx-get="{url}"'
            ' hx-trigger="input changed delay:300ms, search" hx-target="#{id}" hx-swap="innerHTML"'
            ' hx-include="#{id}" hx-sync="this:replace">',
            id=select_id,
            placeholder=self.placeholder,
            label=self.find_label,
            url=reverse(self.url) + (f"?{self.url_query}" if self.url_query else ""),
        )
        select = self._select(name, value, attrs, choices)
        return format_html('<div class="kx-search-select">{}{}</div>', find, select)
