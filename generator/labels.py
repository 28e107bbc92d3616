"""Reader-facing labels of the closed vocabularies of fields.py, marked for translation."""

from __future__ import annotations

from generator.i18n import N_

LABELS: dict[str, str] = {
    # subject types
    "person": N_("Individual"),
    "entity": N_("Entity"),
    "group": N_("Group"),
    "government": N_("Government"),
    # measures
    "asset-freeze": N_("Asset freeze"),
    "travel-ban": N_("Travel ban"),
    "arms-embargo": N_("Arms embargo"),
    "export-restrictions": N_("Export restrictions"),
    "other": N_("Other"),
    # genders
    "male": N_("Male"),
    "female": N_("Female"),
    # identifier types
    "passport": N_("Passport"),
    "national-id": N_("National identity number"),
    "tax-number": N_("Tax number"),
    "inn": N_("Taxpayer number (INN)"),
    "ogrn": N_("State registration number (OGRN)"),
    "registration-number": N_("Registration number"),
    # relations, as read from the subject's page
    "part-of": N_("Part of"),
    "includes": N_("Includes"),
    "subsidiary-of": N_("Subsidiary of"),
    "parent-of": N_("Parent company of"),
    "employee-of": N_("Works for"),
    "employs": N_("Employs"),
    "director-of": N_("Directs"),
    "directed-by": N_("Directed by"),
    "owner-of": N_("Owns"),
    "owned-by": N_("Owned by"),
    "member-of": N_("Member of"),
    "has-member": N_("Has as a member"),
    "family-of": N_("Family member"),
    "associate-of": N_("Associate"),
    "linked-to": N_("Linked to"),
    # statuses of subjects and of sanctions
    "listed": N_("Listed"),
    "delisted": N_("No longer listed"),
    "unconfirmed": N_("Renewal not recorded"),
    "in-force": N_("In force"),
    "lifted": N_("Lifted"),
    "expired": N_("Expired"),
    "renewed": N_("Renewed"),
    "amended": N_("Record amended"),
}
