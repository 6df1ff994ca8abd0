"""Jurisdiction and operator presets (KEEP-4).

``CONFIDE_PRESET`` selects one bundle of rules. Every rule that differs between the operators whose
policies Confide follows lives here, and nowhere else: code asks ``current_preset()``.
Later domains add their fields to :class:`Preset` with a default, and set them per preset below.
Every field is a rule some code reads: a field nothing reads is a promise nobody keeps, and
``tests/core/test_presets.py`` fails on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache

#: Crisis lines by country, shown at once by the intake crisis path (docs/intake.md).
#: Each entry: number, and its description in es, en, sv and sq.
CRISIS_LINES: dict[str, tuple[dict[str, str], ...]] = {
    "ES": (
        {
            "number": "112",
            "en": "Emergencies (24 h)",
            "es": "Emergencias (24 h)",
            "sv": "Larmnummer (dygnet runt)",
            "sq": "Urgjenca (24 orë)",
        },
        {
            "number": "024",
            "en": "Suicidal behaviour helpline, free, 24 h",
            "es": "Línea de atención a la conducta suicida, gratuita, 24 h",
            "sv": "Stödlinje vid självmordstankar, kostnadsfri, dygnet runt",
            "sq": "Linja e ndihmës për mendimet vetëvrasëse, falas, 24 orë",
        },
    ),
    "SE": (
        {
            "number": "112",
            "en": "Emergencies (24 h)",
            "es": "Emergencias (24 h)",
            "sv": "Larmnummer (dygnet runt)",
            "sq": "Urgjenca (24 orë)",
        },
        {
            "number": "90101",
            "en": "Självmordslinjen (Mind), suicide helpline",
            "es": "Självmordslinjen (Mind), línea de prevención del suicidio",
            "sv": "Självmordslinjen (Mind), stöd vid självmordstankar",
            "sq": "Självmordslinjen (Mind), linja për parandalimin e vetëvrasjes",
        },
        {
            "number": "1177",
            "en": "Healthcare advice (1177 Vårdguiden)",
            "es": "Consejo sanitario (1177 Vårdguiden)",
            "sv": "Sjukvårdsrådgivning (1177 Vårdguiden)",
            "sq": "Këshilla shëndetësore (1177 Vårdguiden)",
        },
    ),
    "AL": (
        {
            "number": "112",
            "en": "Emergencies (24 h)",
            "es": "Emergencias (24 h)",
            "sv": "Larmnummer (dygnet runt)",
            "sq": "Urgjenca (24 orë)",
        },
        {
            "number": "127",
            "en": "Ambulance (emergency medical service)",
            "es": "Ambulancia (urgencias médicas)",
            "sv": "Ambulans (akut sjukvård)",
            "sq": "Ambulanca (shërbimi i urgjencës mjekësore)",
        },
        {"number": "129", "en": "Police", "es": "Policía", "sv": "Polis", "sq": "Policia"},
    ),
    "US": (
        {
            "number": "988",
            "en": "988 Suicide & Crisis Lifeline: call or text, 24 h",
            "es": "988 Línea de Prevención del Suicidio y Crisis: llama o envía un mensaje, 24 h",
            "sv": "988 Suicide & Crisis Lifeline: ring eller sms:a, dygnet runt",
            "sq": "988 Suicide & Crisis Lifeline: telefononi ose dërgoni mesazh, 24 orë",
        },
        {
            "number": "911",
            "en": "Emergencies",
            "es": "Emergencias",
            "sv": "Larmnummer",
            "sq": "Urgjenca",
        },
    ),
}


#: The laws a legal hold rests on, per jurisdiction, named for the reader in en, es, sv and sq
#: (the "what we collect" page, the erasure receipt). Keys are the inventory's law keys
#: (``confide.privacy.inventory.LAWS``); the data declarations name a key, the preset the law.
LawNames = dict[str, dict[str, str]]

_GDPR_LAWS: LawNames = {
    "accountability": {
        "en": "GDPR, Articles 5(2) and 32 (accountability and security of processing)",
        "es": "RGPD, artículos 5.2 y 32 (responsabilidad proactiva y seguridad del tratamiento)",
        "sv": "dataskyddsförordningen (GDPR), artiklarna 5.2 och 32 (ansvarsskyldighet och "
        "säkerhet i behandlingen)",
        "sq": "RPMDh (GDPR), nenet 5(2) dhe 32 (llogaridhënia dhe siguria e përpunimit)",
    },
    "rights_records": {
        "en": "GDPR, Articles 5(2), 12 and 30 (proof that requests were handled)",
        "es": "RGPD, artículos 5.2, 12 y 30 (prueba de que se atendieron las solicitudes)",
        "sv": "dataskyddsförordningen (GDPR), artiklarna 5.2, 12 och 30 (bevis på att "
        "begäranden har hanterats)",
        "sq": "RPMDh (GDPR), nenet 5(2), 12 dhe 30 (prova se kërkesat u trajtuan)",
    },
}

LAWS_ES: LawNames = {
    **_GDPR_LAWS,
    "clinical_records": {
        "en": "Spanish Law 41/2002 on patient autonomy, Article 17 (at least five years from "
        "each episode of care)",
        "es": "Ley 41/2002, básica reguladora de la autonomía del paciente, artículo 17 (al "
        "menos cinco años desde cada proceso asistencial)",
        "sv": "spanska lagen 41/2002 om patientens självbestämmande, artikel 17 (minst fem år "
        "från varje vårdtillfälle)",
        "sq": "Ligji spanjoll 41/2002 për autonominë e pacientit, neni 17 (të paktën pesë vjet "
        "nga çdo episod kujdesi)",
    },
    "bookkeeping": {
        "en": "Spanish Commercial Code, Article 30, and General Tax Law 58/2003 (records of "
        "payments to counselors)",
        "es": "Código de Comercio, artículo 30, y Ley 58/2003 General Tributaria (registros de "
        "los pagos a los consejeros)",
        "sv": "spanska handelsbalken (Código de Comercio), artikel 30, och skattelagen 58/2003 "
        "(uppgifter om utbetalningar till samtalsterapeuter)",
        "sq": "Kodi Tregtar spanjoll, neni 30, dhe Ligji i Përgjithshëm Tatimor 58/2003 "
        "(regjistrat e pagesave për këshilltarët)",
    },
}

LAWS_SE: LawNames = {
    **_GDPR_LAWS,
    "clinical_records": {
        "en": "Swedish Patient Data Act (Patientdatalagen 2008:355), Chapter 3, Section 17 "
        "(ten years)",
        "es": "Ley sueca de datos de pacientes (Patientdatalagen 2008:355), capítulo 3, "
        "artículo 17 (diez años)",
        "sv": "patientdatalagen (2008:355) 3 kap. 17 § (tio år)",
        "sq": "Ligji suedez për të dhënat e pacientëve (Patientdatalagen 2008:355), kreu 3, "
        "neni 17 (dhjetë vjet)",
    },
    "bookkeeping": {
        "en": "Swedish Bookkeeping Act (Bokföringslagen 1999:1078), Chapter 7, Section 2 "
        "(records of payments to counselors)",
        "es": "Ley sueca de contabilidad (Bokföringslagen 1999:1078), capítulo 7, artículo 2 "
        "(registros de los pagos a los consejeros)",
        "sv": "bokföringslagen (1999:1078) 7 kap. 2 § (uppgifter om utbetalningar till "
        "samtalsterapeuter)",
        "sq": "Ligji suedez i kontabilitetit (Bokföringslagen 1999:1078), kreu 7, neni 2 "
        "(regjistrat e pagesave për këshilltarët)",
    },
}

LAWS_AL: LawNames = {
    "accountability": {
        "en": "Albanian Law 124/2024 on personal data protection (accountability and security "
        "of processing)",
        "es": "Ley albanesa 124/2024 de protección de datos personales (responsabilidad "
        "proactiva y seguridad del tratamiento)",
        "sv": "albanska lagen 124/2024 om skydd av personuppgifter (ansvarsskyldighet och "
        "säkerhet i behandlingen)",
        "sq": "Ligji nr. 124/2024 «Për mbrojtjen e të dhënave personale» (llogaridhënia dhe "
        "siguria e përpunimit)",
    },
    "rights_records": {
        "en": "Albanian Law 124/2024 on personal data protection (proof that requests were "
        "handled)",
        "es": "Ley albanesa 124/2024 de protección de datos personales (prueba de que se "
        "atendieron las solicitudes)",
        "sv": "albanska lagen 124/2024 om skydd av personuppgifter (bevis på att begäranden "
        "har hanterats)",
        "sq": "Ligji nr. 124/2024 «Për mbrojtjen e të dhënave personale» (prova se kërkesat "
        "u trajtuan)",
    },
    "clinical_records": {
        "en": "Albanian Law 10107/2009 on health care (medical records)",
        "es": "Ley albanesa 10107/2009 de atención sanitaria (historias clínicas)",
        "sv": "albanska lagen 10107/2009 om hälso- och sjukvård (patientjournaler)",
        "sq": "Ligji nr. 10107/2009 «Për kujdesin shëndetësor» (kartelat mjekësore)",
    },
    "bookkeeping": {
        "en": "Albanian Law 25/2018 on accounting and financial statements (records of "
        "payments to counselors)",
        "es": "Ley albanesa 25/2018 de contabilidad y estados financieros (registros de los "
        "pagos a los consejeros)",
        "sv": "albanska lagen 25/2018 om redovisning och finansiella rapporter (uppgifter om "
        "utbetalningar till samtalsterapeuter)",
        "sq": "Ligji nr. 25/2018 «Për kontabilitetin dhe pasqyrat financiare» (regjistrat e "
        "pagesave për këshilltarët)",
    },
}

LAWS_US: LawNames = {
    "accountability": {
        "en": "HIPAA Security Rule, 45 CFR 164.312(b) and 164.316(b)(2) (audit controls, six "
        "years)",
        "es": "Norma de Seguridad de HIPAA, 45 CFR 164.312(b) y 164.316(b)(2) (controles de "
        "auditoría, seis años)",
        "sv": "HIPAA:s säkerhetsregel, 45 CFR 164.312(b) och 164.316(b)(2) (granskningsloggar, "
        "sex år)",
        "sq": "Rregulla e Sigurisë e HIPAA-s, 45 CFR 164.312(b) dhe 164.316(b)(2) (kontrollet "
        "e auditimit, gjashtë vjet)",
    },
    "rights_records": {
        "en": "HIPAA Privacy Rule, 45 CFR 164.530(j) (proof that requests were handled, six years)",
        "es": "Norma de Privacidad de HIPAA, 45 CFR 164.530(j) (prueba de que se atendieron "
        "las solicitudes, seis años)",
        "sv": "HIPAA:s integritetsregel, 45 CFR 164.530(j) (bevis på att begäranden har "
        "hanterats, sex år)",
        "sq": "Rregulla e Privatësisë e HIPAA-s, 45 CFR 164.530(j) (prova se kërkesat u "
        "trajtuan, gjashtë vjet)",
    },
    "clinical_records": {
        "en": "HIPAA, 45 CFR 164.316(b)(2), and state medical-record law (six years)",
        "es": "HIPAA, 45 CFR 164.316(b)(2), y la ley estatal de historias clínicas (seis años)",
        "sv": "HIPAA, 45 CFR 164.316(b)(2), och delstatens lag om patientjournaler (sex år)",
        "sq": "HIPAA, 45 CFR 164.316(b)(2), dhe ligji shtetëror për kartelat mjekësore "
        "(gjashtë vjet)",
    },
    "bookkeeping": {
        "en": "US Internal Revenue Code record-keeping rules, 26 CFR 1.6001-1 (records of "
        "payments to counselors)",
        "es": "Normas de conservación de registros del Código de Rentas Internas de EE. UU., "
        "26 CFR 1.6001-1 (registros de los pagos a los consejeros)",
        "sv": "amerikanska skattelagens regler om räkenskaper, 26 CFR 1.6001-1 (uppgifter om "
        "utbetalningar till samtalsterapeuter)",
        "sq": "Rregullat e mbajtjes së regjistrave të Kodit Tatimor të SHBA-së, 26 CFR "
        "1.6001-1 (regjistrat e pagesave për këshilltarët)",
    },
}


@dataclass(frozen=True)
class Preset:
    key: str
    #: Shown to staff in the admin and in docs; not user-facing.
    description: str
    jurisdiction: str  # ISO 3166-1 alpha-2 country the operator serves first
    minimum_age: int = 18
    #: "nickname_allowed" or "real_name_required" (ACC-3).
    name_policy: str = "nickname_allowed"
    recording_allowed: bool = False
    #: Automatic sign-out after this long without a request (HIPAA 164.312(a)(2)(iii) for US
    #: presets); read by the accounts middleware and the socket consumers (ACC-4, KEEP-4).
    session_idle_timeout: timedelta = timedelta(minutes=30)
    session_absolute_lifetime: timedelta = timedelta(hours=12)
    #: Roles that must sign in with a passkey (ACC-5).
    passkey_required_roles: frozenset[str] = frozenset(
        {"counselor", "team_leader", "staff", "admin"}
    )
    usage_data_retention: timedelta = timedelta(days=395)  # 13 months
    clinical_record_hold: timedelta = timedelta(days=365 * 10)
    #: Law key -> its name per language (LAWS_ES above); says which law each legal hold rests on.
    laws: LawNames = field(default_factory=lambda: dict(LAWS_ES))
    backup_shred_delay: timedelta = timedelta(days=35)
    # Retention rules of the inventory (confide/privacy/retention.py maps rule -> duration).
    verification_code_retention: timedelta = timedelta(days=1)
    #: Questionnaire answers of a visitor who has not created an account (yet).
    visitor_answers_retention: timedelta = timedelta(days=1)
    tombstone_retention: timedelta = timedelta(days=30)
    task_data_retention: timedelta = timedelta(days=30)
    #: Copies of e-mails in the local outbox folder (the embedded default's mail backend).
    outbox_retention: timedelta = timedelta(days=7)
    audit_retention: timedelta = timedelta(days=365 * 6)
    consent_proof_retention: timedelta = timedelta(days=365 * 3)
    payroll_record_retention: timedelta = timedelta(days=365 * 7)
    analytics_integrations: frozenset[str] = frozenset()
    #: Days between announcing a policy change (email + site notice) and it taking effect.
    policy_notice_days: int = 30
    default_timezone: str = "Europe/Madrid"
    default_language: str = "es"
    crisis_country: str = "ES"
    #: Crisis lines per country (default: CRISIS_LINES); a preset may replace or add entries.
    crisis_lines: dict[str, tuple[dict[str, str], ...]] = field(
        default_factory=lambda: dict(CRISIS_LINES)
    )
    # --- Scheduling (docs/scheduling.md) ---
    #: New bookings wait for the counselor's approval (a counselor may also ask for it).
    booking_requires_approval: bool = False
    #: Clients may reschedule or cancel free of charge until this long before the session;
    #: a later cancellation is recorded as late, a later reschedule is refused.
    free_change_before: timedelta = timedelta(hours=24)
    #: Default reminder offsets before a session, in minutes (each user may change theirs).
    reminder_offsets_minutes: tuple[int, ...] = (24 * 60, 60)
    default_session_minutes: int = 50
    default_buffer_minutes: int = 10
    default_min_notice: timedelta = timedelta(hours=12)
    default_booking_horizon: timedelta = timedelta(days=28)

    def law_name(self, key: str, language: str) -> str:
        """The law behind ``key`` named in ``language`` (English if that is missing). A text that
        is not a key (a legal hold recorded before keys existed) is returned as it is."""
        names = self.laws.get(key)
        if not names:
            return key
        return names.get(language[:2]) or names["en"]


_BASE_EU = Preset(
    key="eu_es",
    description="Spain, GDPR and Ley 41/2002 (patient autonomy): nickname allowed, no recording.",
    jurisdiction="ES",
    clinical_record_hold=timedelta(days=365 * 5),
    laws=LAWS_ES,
)

PRESETS: dict[str, Preset] = {
    "eu_es": _BASE_EU,
    "eu_se": replace(
        _BASE_EU,
        key="eu_se",
        description="Sweden, GDPR and Patientdatalagen: real name, ten-year clinical hold.",
        jurisdiction="SE",
        name_policy="real_name_required",
        clinical_record_hold=timedelta(days=365 * 10),
        laws=LAWS_SE,
        default_timezone="Europe/Stockholm",
        default_language="sv",
        crisis_country="SE",
    ),
    "eu_al": replace(
        _BASE_EU,
        key="eu_al",
        description="Albania, Law 124/2024 on personal data (GDPR-aligned): nickname allowed.",
        jurisdiction="AL",
        clinical_record_hold=timedelta(days=365 * 10),
        laws=LAWS_AL,
        default_timezone="Europe/Tirane",
        default_language="sq",
        crisis_country="AL",
    ),
    "us_hipaa": replace(
        _BASE_EU,
        key="us_hipaa",
        description="United States, HIPAA Privacy and Security Rules: nickname, 6-year hold.",
        jurisdiction="US",
        clinical_record_hold=timedelta(days=365 * 6),
        laws=LAWS_US,
        session_idle_timeout=timedelta(minutes=15),
        default_timezone="America/New_York",
        default_language="en",
        crisis_country="US",
    ),
}

# --- One preset per seed operator (KEEP-4; docs/presets.md) ---------------------------------------
# Each operator whose published policy Confide follows can run it with its own rules.
PRESETS.update(
    {
        "enterapia": replace(
            PRESETS["eu_es"],
            key="enterapia",
            description="Enterapia-style Spanish practice: nickname, 18+, statistics and ads "
            "measurement with consent.",
            analytics_integrations=frozenset({"google_analytics", "meta_pixel"}),
        ),
        "optiwe": replace(
            PRESETS["eu_es"],
            key="optiwe",
            description="Optiwe-style clinic platform (Spanish): organisation accounts, sessions "
            "may be recorded with the client's consent, Mixpanel statistics with consent.",
            recording_allowed=True,
            analytics_integrations=frozenset({"mixpanel"}),
        ),
        "icbt": replace(
            PRESETS["eu_al"],
            key="icbt",
            description="ICBT-style Albanian CBT service: nickname, 18+, Google Analytics with "
            "consent.",
            analytics_integrations=frozenset({"google_analytics"}),
        ),
        "mentabee": replace(
            PRESETS["eu_se"],
            key="mentabee",
            description="Mentabee-style Swedish service: real name, ten-year clinical hold, "
            "no third-party analytics.",
            laws=LAWS_SE,
        ),
        "o7therapy": replace(
            PRESETS["us_hipaa"],
            key="o7therapy",
            description="O7 Therapy-style US service under HIPAA: nickname, 18+, Mixpanel and "
            "Google Analytics with consent (never on clinical pages).",
            analytics_integrations=frozenset({"mixpanel", "google_analytics"}),
        ),
    }
)

DEFAULT_PRESET = "eu_es"


@cache
def get_preset(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise KeyError(f"Unknown CONFIDE_PRESET {key!r}; choose one of {sorted(PRESETS)}") from None


def current_preset() -> Preset:
    from django.conf import settings

    return get_preset(settings.CONFIDE_PRESET)
