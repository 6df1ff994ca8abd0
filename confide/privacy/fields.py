"""Model fields whose values are stored encrypted under the row subject's data key.

Reading ``obj.body`` decrypts on first access only; a query that never touches the attribute
never decrypts (so list pages pay nothing). Models using these fields need a UUID primary key
with a default, so the row id exists before the insert and can be bound into the ciphertext.
"""

from __future__ import annotations

import json
from typing import Any

from django.core import checks
from django.db import models

from confide.privacy import crypto


class Ciphertext(bytes):
    """A value as stored: still sealed."""


class _SealedAttribute:
    def __init__(self, field: EncryptedField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        if self.field.attname not in instance.__dict__:  # deferred: load the ciphertext now
            instance.refresh_from_db(fields=[self.field.attname])
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Ciphertext):
            value = self.field.decode(crypto.decrypt(value, aad=self.field.aad(instance)))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField):
    """Base: subclasses define ``encode``/``decode`` between Python values and bytes."""

    def __init__(self, *args: Any, key_scope: str | None = None, **kwargs: Any) -> None:
        self.key_scope = key_scope
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.key_scope:
            kwargs["key_scope"] = self.key_scope
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kw: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kw)
        setattr(cls, self.attname, _SealedAttribute(self))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if not isinstance(pk, models.UUIDField) or not pk.has_default():
            errors.append(
                checks.Error(
                    "Encrypted fields need a UUIDField primary key with a default.",
                    obj=self,
                    id="privacy.E002",
                )
            )
        return errors

    # --- subclasses -------------------------------------------------------------------------------
    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, raw: bytes) -> Any:
        raise NotImplementedError

    # --- binding ----------------------------------------------------------------------------------
    def scope(self) -> str:
        return self.key_scope or self.model._meta.app_label

    def aad(self, instance: models.Model) -> bytes:
        return f"{self.model._meta.label_lower}.{self.attname}:{instance.pk}".encode()

    def subject_id(self, instance: models.Model) -> int:
        spec = getattr(type(instance), "PersonalData", None)
        path = getattr(spec, "subject", None)
        if not path:
            raise ValueError(
                f"{type(instance).__name__} declares no subject for its encrypted data"
            )
        if path == "self":
            return int(instance.pk)
        *hops, last = path.split("__")
        target: Any = instance
        for hop in hops:
            target = getattr(target, hop)
        return int(getattr(target, f"{last}_id"))

    # --- database round trip ----------------------------------------------------------------------
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return Ciphertext(bytes(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Ciphertext):
            return value
        return Ciphertext(
            crypto.encrypt(
                self.encode(value),
                subject_id=self.subject_id(model_instance),
                scope=self.scope(),
                aad=self.aad(model_instance),
            )
        )

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Ciphertext):
            raise TypeError("Encrypted fields can be neither filtered on nor saved unsealed")
        return bytes(value)

    def value_to_string(self, obj: models.Model) -> str:
        # Serializers (dumpdata) see ciphertext only.
        raw = obj.__dict__.get(self.attname)
        return raw.hex() if isinstance(raw, bytes) else ""


class EncryptedTextField(EncryptedField):
    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def decode(self, raw: bytes) -> str:
        return raw.decode("utf-8")

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.CharField(widget=forms.Textarea, required=not self.blank, **kwargs)


class EncryptedJSONField(EncryptedField):
    def encode(self, value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")

    def decode(self, raw: bytes) -> Any:
        return json.loads(raw)


class EncryptedBytesField(EncryptedField):
    """For uploaded documents and attachments."""

    def encode(self, value: Any) -> bytes:
        return bytes(value)

    def decode(self, raw: bytes) -> bytes:
        return raw
