"""The one domain error that services raise; views and the API show its message."""


class DomainError(Exception):
    """A rule of the domain was broken. `message` is translated and shown to the user.

    `field` names the form field or import column at fault, when there is one.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
