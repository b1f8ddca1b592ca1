"""Errors the services raise with a message meant for the person at the screen."""


class ValidationError(ValueError):
    """Bad input: nothing was changed. `field` names the input it is about, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(LookupError):
    """The thing does not exist, or the user may not see it (the two are never told apart)."""

    def __init__(self, what: str = 'This page') -> None:
        super().__init__(f'{what} was not found.')


class AccessDenied(PermissionError):
    """The user is signed in but lacks the role for this."""

    def __init__(self) -> None:
        super().__init__('You do not have access to this.')
