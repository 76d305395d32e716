from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..application_rules import ANSWER_MAX_LENGTH, program_questions
from ..countries import country_choices
from ..profile import PartnerType, Region, Vertical
from ..services.applications import MESSAGE_MAX_LENGTH

QUESTION_PREFIX = "q_"
HONEYPOT = "homepage"


class ApplicationForm(forms.Form):
    """The public "Become a partner" form; the chosen program's own questions are added as `q_<key>` fields.

    The service checks everything again: this form only gives each field its widget and first errors.
    """

    program = forms.ChoiceField(label=_("Program"))
    company_name = forms.CharField(label=_("Company name"), max_length=160)
    website = forms.URLField(label=_("Website"), max_length=200, assume_scheme="https")
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(label=_("Your work email"))
    country = forms.ChoiceField(label=_("Country"))
    types = forms.MultipleChoiceField(
        label=_("Partner type"), choices=PartnerType.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions you serve"), choices=Region.choices, widget=forms.CheckboxSelectMultiple
    )
    verticals = forms.MultipleChoiceField(
        label=_("Industries"), choices=Vertical.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    expected_annual_revenue = forms.DecimalField(
        label=_("Expected annual revenue with us"), min_value=0, max_digits=14, decimal_places=2
    )
    # The trap: hidden from people (and screen readers); bots that fill every field fill it too.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, programs, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = {program.slug: program for program in programs}
        program_field = self.fields["program"]
        program_field.choices = [(program.slug, program.name) for program in programs]
        program_field.widget.attrs.update(
            {
                "hx-get": reverse("partners:apply"),
                "hx-target": "#program-questions",
                "hx-select": "#program-questions",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["expected_annual_revenue"].label = _("Expected annual revenue with us (%(currency)s)") % {
            "currency": currency
        }
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.chosen_program = self._chosen_program()
        for question in program_questions(self.chosen_program.application_questions if self.chosen_program else []):
            self.fields[f"{QUESTION_PREFIX}{question.key}"] = forms.CharField(
                label=question.label,
                required=question.required,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def _chosen_program(self):
        slug = self.data.get("program") if self.is_bound else self.initial.get("program")
        return self.programs.get(slug) or next(iter(self.programs.values()), None)

    def core_fields(self):
        return [self[name] for name in self.fields if name != HONEYPOT and not name.startswith(QUESTION_PREFIX)]

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith(QUESTION_PREFIX)]

    def submission(self) -> dict:
        """The cleaned data as `application_submit` arguments (without the client IP)."""
        data = self.cleaned_data
        answers = {name.removeprefix(QUESTION_PREFIX): data[name] for name in data if name.startswith(QUESTION_PREFIX)}
        fields = ["company_name", "website", "contact_name", "contact_email", "country", "types", "regions"]
        return {
            **{name: data[name] for name in fields},
            "verticals": data["verticals"],
            "expected_annual_revenue": data["expected_annual_revenue"],
            "answers": answers,
            "program": self.programs[data["program"]],
        }

    def is_trapped(self) -> bool:
        """True when the honeypot was filled: a bot, whatever else it sent."""
        return self.is_bound and bool(str(self.data.get(HONEYPOT, "")).strip())

    def field_for_error(self, key: str) -> str | None:
        """The form field a service error key (`answers.why`, `country` …) belongs to."""
        name = f"{QUESTION_PREFIX}{key.removeprefix('answers.')}" if key.startswith("answers.") else key
        return name if name in self.fields else None


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Emailed to the applicant."),
        max_length=MESSAGE_MAX_LENGTH,
    )


class InfoRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What do you need to know?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Emailed to the applicant, who replies by email."),
        max_length=MESSAGE_MAX_LENGTH,
    )
