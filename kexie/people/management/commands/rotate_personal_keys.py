"""Re-encrypt every person's ID number and mobile under the current personal-data key.

    manage.py rotate_personal_keys [--blind-index-key-changed] [--batch-size 500]

`settings.PERSONAL_DATA_KEYS` (KEXIE_PERSONAL_DATA_KEYS) lists the new key first and the
old ones after it: the old ones still decrypt, the first one encrypts. After this command
the old keys can be dropped. With --blind-index-key-changed the exact-match indexes are
recomputed from the decrypted values under the current KEXIE_BLIND_INDEX_KEY. Batches of
rows are locked and rewritten in their own transactions; running it twice is harmless.
See docs/operations.md, "Rotating the personal-data keys".
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kexie.audit.services import record
from kexie.core import crypto
from kexie.people.models import Person
from kexie.people.services.people import id_number_lookup, mobile_lookup

FIELDS = ("id_number_encrypted", "mobile_encrypted")
INDEX_FIELDS = ("id_number_index", "mobile_index")


def _rotate(person: Person, *, blind_index: bool) -> tuple[int, int]:
    """Rewrite one person's identifiers; (values re-encrypted, indexes changed)."""
    values = indexes = 0
    for name in FIELDS:
        token = getattr(person, name)
        if token:
            setattr(person, name, crypto.reencrypt(token))
            values += 1
    if blind_index:
        id_index = (
            id_number_lookup(crypto.decrypt(person.id_number_encrypted)) if person.id_number_encrypted else ""
        )
        mobile_index = (
            mobile_lookup(crypto.decrypt(person.mobile_encrypted)) if person.mobile_encrypted else ""
        )
        indexes += (id_index != person.id_number_index) + (mobile_index != person.mobile_index)
        person.id_number_index, person.mobile_index = id_index, mobile_index
    return values, indexes


class Command(BaseCommand):
    help = "Re-encrypt personal identifiers under the first key of KEXIE_PERSONAL_DATA_KEYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--blind-index-key-changed",
            action="store_true",
            help="also recompute the exact-match indexes under the current KEXIE_BLIND_INDEX_KEY",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="people per transaction (default 500)"
        )

    def handle(self, *args, blind_index_key_changed: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        fields = [*FIELDS, *(INDEX_FIELDS if blind_index_key_changed else ())]
        people = values = indexes = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Person.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *FIELDS, *INDEX_FIELDS)[:batch_size]
                )
                if not batch:
                    break
                for person in batch:
                    try:
                        done, changed = _rotate(person, blind_index=blind_index_key_changed)
                    except crypto.InvalidToken as exc:
                        raise CommandError(
                            f"Person {person.pk}: no key in KEXIE_PERSONAL_DATA_KEYS decrypts the stored "
                            "value. Put the old key back (after the new one) and run the command again."
                        ) from exc
                    values += done
                    indexes += changed
                Person.objects.bulk_update(batch, fields)
            people += len(batch)
            last_pk = batch[-1].pk
            if options["verbosity"] > 1:
                self.stdout.write(f"  … {people} people")
        with transaction.atomic():
            record(
                None,
                "personal.key_rotation",
                None,
                username="manage.py rotate_personal_keys",
                people=people,
                values=values,
                blind_indexes_recomputed=blind_index_key_changed,
                indexes_changed=indexes,
            )
        message = f"Re-encrypted {values} values of {people} people under the current key."
        if blind_index_key_changed:
            message += f" Recomputed the blind indexes: {indexes} changed."
        self.stdout.write(self.style.SUCCESS(message))
