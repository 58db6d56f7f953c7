"""What each audit action code means, in the reader's language."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.lockout": _("Login locked out"),
    "auth.unlock": _("Login unlocked"),
    "permission.denied": _("Permission denied"),
    "personal.unmask": _("Personal data shown in full"),
    "user.create": _("Account created"),
    "user.disable": _("Account disabled"),
    "user.enable": _("Account enabled"),
    "user.password_change": _("Password changed"),
    "user.password_reset": _("Password reset by an administrator"),
    "user.export": _("Accounts exported"),
    "membership.grant": _("Role granted"),
    "membership.revoke": _("Role revoked"),
    "membership.switch": _("Switched organization"),
    "membership.export": _("Roles exported"),
    "org.create": _("Organization created"),
    "org.update": _("Organization edited"),
    "org.move": _("Organization moved"),
    "org.dissolve": _("Organization dissolved"),
    "org.board_term_start": _("Board election recorded"),
    "org.leader_appoint": _("Leader appointed"),
    "org.party_coverage": _("Party coverage changed"),
    "org.import": _("Organizations imported"),
    "org.export": _("Organizations exported"),
    "org.reelections_export": _("Re-elections exported"),
    "org.stats_export": _("Network statistics exported"),
    "audit.export": _("Audit log exported"),
    "divisions.update": _("Division codes updated"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
