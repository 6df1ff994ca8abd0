"""The one settings module.

Everything that differs between a laptop and a cluster is an environment variable; see
docs/settings.md. ``CONFIDE_ENV=production`` turns every missing secret into an error.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from confide.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_optional,
    env_str,
)
from confide.presets import DEFAULT_PRESET, PRESETS

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CONFIDE_DATA_DIR", str(BASE_DIR / "var")))

CONFIDE_ENV = env_choice("CONFIDE_ENV", "embedded", {"embedded", "production"})
PRODUCTION = CONFIDE_ENV == "production"
# pytest sets PYTEST_VERSION before pytest-django imports these settings.
TESTING = env_bool("CONFIDE_TESTING", "PYTEST_VERSION" in os.environ)

DEBUG = env_bool("DEBUG", not PRODUCTION)
if not PRODUCTION:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG must be off when CONFIDE_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigError("ALLOWED_HOSTS must list the public host names in production.")
else:
    # Embedded default only: a fixed, clearly marked development key.
    SECRET_KEY = env_str("SECRET_KEY", "embedded-insecure-development-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
#: Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs); none by default, so a client
#: can never choose its own address. Read by confide.core.network and by `manage.py serve`.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# localhost, not 127.0.0.1: links in e-mails must lead where passkeys work (a WebAuthn relying
# party is a domain name, never an IP address).
SITE_URL = env_str("SITE_URL", f"http://localhost:{env_int('PORT', 8000)}")

CONFIDE_PRESET = env_choice("CONFIDE_PRESET", DEFAULT_PRESET, set(PRESETS))

INSTALLED_APPS = [
    "confide.core.apps.ConfideAdminConfig",  # django.contrib.admin behind our admin policy
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.usersessions",
    # Confide domains, in dependency order (see docs/layout.md).
    "confide.core",
    "confide.audit",
    "confide.accounts",
    "confide.privacy",
    "confide.privacy.consent",
    "confide.counselors",
    "confide.intake",
    "confide.matching",
    "confide.scheduling",
    "confide.sessions",
    "confide.messaging",
    "confide.billing",
    "confide.care",
    "confide.worksheets",
    "confide.measures",
    "confide.library",
    "confide.records",
]

MIDDLEWARE = [
    "confide.core.middleware.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "confide.core.middleware.SecurityHeadersMiddleware",
    "confide.core.middleware.StaticFilesMiddleware",
    "confide.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "confide.core.middleware.UserLanguageMiddleware",
    "confide.core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "confide.accounts.middleware.AccountGateMiddleware",
    "confide.audit.middleware.AuditContextMiddleware",
    # Re-acceptance gate, clinical-page marking, CSP allowance for consented integrations.
    "confide.privacy.consent.middleware.ConsentMiddleware",
]

ROOT_URLCONF = "confide.urls"
WSGI_APPLICATION = "confide.wsgi.application"
ASGI_APPLICATION = "confide.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of django-allauth's templates (allauth's apps load before ours).
        "DIRS": [BASE_DIR / "confide" / "accounts" / "allauth_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "confide.core.context_processors.site",
                "confide.privacy.consent.context_processors.consent",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_optional("DATABASE_URL")
#: Connections one process may hold to PostgreSQL (0: no pool, one connection per request).
DB_POOL_SIZE = env_int("DB_POOL_SIZE", 10, minimum=0)
#: Seconds a request waits for a free pooled connection before it fails.
DB_POOL_TIMEOUT = env_int("DB_POOL_TIMEOUT", 10, minimum=1)
if DATABASE_URL:
    # Never persistent connections: under ASGI every request runs its sync code in a thread of its
    # own, so a connection kept per thread is a connection leaked per request (a burst of 100
    # bookings once held 99 of PostgreSQL's 100). A bounded pool per process instead: a burst
    # waits for a connection rather than exhausting the server for Celery, manage.py and /healthz.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # Not under tests: they create and drop databases, which a pool's idle connections would block.
    postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if postgres and DB_POOL_SIZE and not TESTING:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_SIZE,
            "timeout": DB_POOL_TIMEOUT,
        }
elif PRODUCTION:
    raise ConfigError("DATABASE_URL must point to PostgreSQL in production.")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "confide.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at the
                # start of a transaction so concurrent writers queue instead of failing mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file, not memory, so the browser tests' server threads share it (pytest-xdist
            # gives each worker its own suffix).
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: channel layer, cache, task broker ---------------------------------------------------
REDIS_URL = env_optional("REDIS_URL")
if TESTING and REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each test worker gets its own Redis database, so one worker's cache.clear() (FLUSHDB)
    # never empties another's channel layer mid-test.
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{10 + _worker}"
if PRODUCTION and not REDIS_URL:
    raise ConfigError("REDIS_URL must be set in production (channel layer, cache and task broker).")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("CHANNEL_PREFIX", "confide")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "confide"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Tasks (Celery) -------------------------------------------------------------------------------
_BROKER_URL = env_optional("CELERY_BROKER_URL") or REDIS_URL
# With no broker, tasks run inline in the caller (embedded default and tests).
CELERY_TASK_ALWAYS_EAGER = _BROKER_URL is None
# Celery still takes a producer from its pool for an inline call; kombu warns "No hostname was
# supplied" for a broker without a host, so name kombu's in-process transport with one.
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
#: Periodic jobs. Domains add theirs in their ``tasks.py`` with ``confide.core.tasks.periodic``.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_URL = env_optional("EMAIL_URL")
OUTBOX_DIR = DATA_DIR / "outbox"
if EMAIL_URL:
    from confide.core.mail import email_settings_from_url

    globals().update(email_settings_from_url(EMAIL_URL))
elif PRODUCTION:
    raise ConfigError("EMAIL_URL must be set in production (smtp://user:password@host:port).")
else:
    EMAIL_BACKEND = "confide.core.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Confide <no-reply@confide.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "confide.core.sms.OutboxSmsBackend")

# --- Operator -----------------------------------------------------------------------------------
# The controller of the personal data, named on the privacy policy page (GDPR Art. 13(1)(a)).
OPERATOR_NAME = env_str("OPERATOR_NAME", "" if PRODUCTION else "Confide")
OPERATOR_CONTACT = env_str("OPERATOR_CONTACT", "" if PRODUCTION else "privacy@confide.localhost")
if PRODUCTION and not (OPERATOR_NAME and OPERATOR_CONTACT):
    raise ConfigError(
        "OPERATOR_NAME and OPERATOR_CONTACT must be set in production: the privacy policy names "
        "the controller of the data and how to reach them."
    )

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGE_URL = env_optional("STORAGE_URL")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGE_URL:
    from confide.core.storage import storage_from_url

    STORAGES["default"] = storage_from_url(STORAGE_URL)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "confide" / "core" / "public"

# --- Payments ---------------------------------------------------------------------------------
#: Stripe is used when its secret key is set; else the offline processor (bank transfer).
STRIPE_SECRET_KEY = env_optional("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_optional("STRIPE_WEBHOOK_SECRET")
#: Only for tests against a local server answering Stripe's API; production leaves it unset.
STRIPE_API_BASE = env_optional("STRIPE_API_BASE")

# --- Keys ---------------------------------------------------------------------------------------
#: Where key-encryption keys come from (first match): ``KMS_BACKEND`` (a class with the Keyring
#: protocol of confide/privacy/keys.py); static ``KEK`` "id:base64key[,…]" (never expire on their
#: own); else the rotating key store file ``KEYSTORE_FILE``, kept apart from the database and its
#: backups (a separate volume or secret mount in production). See docs/privacy-kernel.md.
KEK = env_optional("KEK")
KMS_BACKEND = env_optional("KMS_BACKEND")
KEYSTORE_FILE = Path(env_str("KEYSTORE_FILE", str(DATA_DIR / "keystore" / "keks.json")))
if PRODUCTION and not (KEK or KMS_BACKEND or env_optional("KEYSTORE_FILE")):
    raise ConfigError(
        "Set KEYSTORE_FILE (a path outside the database's backups), KEK or KMS_BACKEND in "
        "production: the key-encryption keys protect every data key."
    )
#: A new KEK this often; each KEK is destroyed once the preset's backup_shred_delay old (KEEP-2).
KEK_ROTATION_DAYS = int(env_str("KEK_ROTATION_DAYS", "7"))

# --- Video ----------------------------------------------------------------------------------------
TURN_URLS = env_list("TURN_URLS", [])
STUN_URLS = env_list("STUN_URLS", [])
TURN_SHARED_SECRET = env_optional("TURN_SHARED_SECRET")

# --- Auth -----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "confide.accounts.hashers.ConfideArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
if TESTING:
    # Tests create hundreds of users; tests of hashing itself override this back.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
# Phone is optional; when given it is verified by a code sent through SMS_BACKEND.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_DISPLAY = "confide.accounts.adapters.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Confide: "
# Google and Facebook sign-in appear only when their client ids are configured.
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
for _provider in ("google", "facebook"):
    _client_id = env_optional(f"{_provider.upper()}_CLIENT_ID")
    if _client_id:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [
                {
                    "client_id": _client_id,
                    "secret": env_str(f"{_provider.upper()}_SECRET", required=True),
                }
            ],
            "SCOPE": ["email"] if _provider == "facebook" else ["email", "profile"],
        }
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True
# Accounts (see docs/accounts.md): sign-up form, adapters, security level 1 (an emailed code as
# second factor on browsers not yet trusted), rate limits that expire (no permanent lockout).
ACCOUNT_ADAPTER = "confide.accounts.adapters.AccountAdapter"
MFA_ADAPTER = "confide.accounts.adapters.MFAAdapter"
ACCOUNT_FORMS = {"signup": "confide.accounts.forms.SignupForm"}
# allauth's passkey forms with labels in our catalog ("Name" and "Passwordless" were English).
MFA_FORMS = {
    "add_webauthn": "confide.accounts.forms.AddWebAuthnForm",
    "edit_webauthn": "confide.accounts.forms.EditWebAuthnForm",
}
# Social sign-up still asks for the birth date and the policies: never auto-signed-up.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_FORMS = {"signup": "confide.accounts.forms.SocialSignupForm"}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_REQUIRED = {"password"}  # narrowed per user by AccountAdapter
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TRUST_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Five wrong passwords per account *and address* stop that address for 15 minutes; the key
    # includes the address (AccountAdapter), so an attacker elsewhere never locks the owner out.
    # The account-wide ceiling and the owner's notice are in confide/accounts/throttle.py.
    "login_failed": "20/m/ip,5/15m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "change_phone": "1/m/user",
}
MFA_TRUST_ENABLED = True
MFA_TRUST_COOKIE_AGE = timedelta(days=30)
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_ISSUER = "Confide"

# --- Sessions and cookies -------------------------------------------------------------------------
# Absolute lifetime from the preset; AccountGateMiddleware also enforces the idle timeout.
SESSION_COOKIE_AGE = int(PRESETS[CONFIDE_PRESET].session_absolute_lifetime.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "confide.core.views.csrf_failure"

# --- Security headers (see docs/security.md) ------------------------------------------------------
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF, "ws:", "wss:"] if not PRODUCTION else [SELF, "wss:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Shown by their own names (name_local) in the language switcher.
LANGUAGES = [("en", "English"), ("es", "Español"), ("sv", "Svenska"), ("sq", "Shqip")]
# Each app keeps its own catalog in <app>/locale (found through APP_DIRS-style app lookup).
# Apps listed earlier win, so a library's catalog (django.contrib.auth, allauth) beats ours; the
# few entries where a library's own translation is English are overridden here, which wins over
# every app (docs/accounts.md).
LOCALE_PATHS: list[Path] = [BASE_DIR / "confide" / "accounts" / "library_overrides" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Logging: content never reaches logs; records carry ids only. ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs request bodies nowhere, but 4xx warnings carry the path: keep them at WARNING.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
    },
}
ADMINS: list[tuple[str, str]] = []

# --- Consent: third-party analytics accounts (docs/consent.md) ------------------------------------
# Which integrations run comes from the preset (and consent); these are the operator's account ids.
CONSENT_INTEGRATION_ACCOUNTS = {
    "mixpanel": env_str("MIXPANEL_TOKEN", ""),
    "google_analytics": env_str("GA_MEASUREMENT_ID", ""),
    "meta_pixel": env_str("META_PIXEL_ID", ""),
}

# --- Benchmarks only ------------------------------------------------------------------------------
CONFIDE_BENCH = env_bool("CONFIDE_BENCH", False)
