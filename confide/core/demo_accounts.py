"""Demo credentials, public by design and refused in production (see seed_demo)."""

DEMO_PASSWORD = "demo-Confide-2026"  # noqa: S105 - public demo credential, embedded only

#: (role, email, password) — one per role; created by confide.accounts.demo.
DEMO_ACCOUNTS = [
    ("client", "client@demo.confide.localhost", DEMO_PASSWORD),
    ("counselor", "counselor@demo.confide.localhost", DEMO_PASSWORD),
    ("team_leader", "leader@demo.confide.localhost", DEMO_PASSWORD),
    ("staff", "staff@demo.confide.localhost", DEMO_PASSWORD),
    ("admin", "admin@demo.confide.localhost", DEMO_PASSWORD),
]
