"""Tax treatment of our sales per preset jurisdiction, and the words an invoice prints for it.

Counselling is a health service: Spain, Sweden and Albania exempt it from VAT, so the invoice
carries no tax amount and states the exemption with its legal reference. In the United States
the service is not subject to sales tax and the invoice has no tax line at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TaxRule:
    key: str  # stored on the invoice (``Invoice.tax_rule``)
    rate_bp: int  # basis points: 2100 = 21 %
    #: The legal reference, printed as it is (a citation is not translated).
    reference: str = ""


_EXEMPT_NOTE = _("VAT exempt: health care service.")

RULES: dict[str, TaxRule] = {
    "ES": TaxRule("exempt_health", 0, "Ley 37/1992, art. 20.Uno.3º"),
    "SE": TaxRule("exempt_health", 0, "Mervärdesskattelag (2023:200) 10 kap. 4 §"),
    "AL": TaxRule("exempt_health", 0, "Ligji nr. 92/2014 për TVSH-në, neni 51"),
    "US": TaxRule("none", 0),
}


def rule_for(jurisdiction: str) -> TaxRule:
    """The preset's rule; an unknown jurisdiction falls back to Spain's, like the prices."""
    return RULES.get(jurisdiction, RULES["ES"])


def note(rule_key: str, jurisdiction: str) -> str:
    """The sentence an invoice prints about tax ('' when the document has no tax line)."""
    rule = rule_for(jurisdiction)
    if rule_key != "exempt_health":
        return ""
    return f"{_EXEMPT_NOTE} {rule.reference}".strip()
