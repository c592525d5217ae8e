"""The password policy: long enough, and not guessable (zxcvbn's strength estimate).

Length over composition rules, as NIST SP 800-63B advises, plus a check against common and
breached-style passwords: zxcvbn (Dropbox's estimator, MIT licence) scores a password against
lists of common passwords, words and names, keyboard patterns, dates, repeats and l33t
substitutions, so "password1234", "qwertyuiop12" or "Borderpost2025" are refused however long.
"""

from __future__ import annotations

from borderpost import errors

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from an offline slow-hash
# scenario" (about 10^8 to 10^10 guesses); our hashes are Argon2 and logins are throttled.
MIN_SCORE = 3
# zxcvbn only looks at the first 100 characters (its matching is quadratic in the length).
_SCORED_PREFIX = 100
# Words anyone guessing a password of this system would try first.
_CONTEXT_WORDS = ("borderpost", "border", "crossing", "customs", "immigration", "qaim")


def check_password_policy(password: str, *, username: str = "") -> None:
    """Raise a 422 naming `password` when the password is too short, too long or guessable."""
    if len(password) < MIN_LENGTH:
        raise errors.invalid("password", f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise errors.invalid("password", f"must be at most {MAX_LENGTH} characters")
    if "\x00" in password:
        raise errors.invalid("password", "contains a NUL character")
    if username and username.lower() in password.lower():
        raise errors.invalid("password", "must not contain the username")
    # Imported here: its word lists take 0.2 s and 14 MB to load, which only setting a password
    # needs (not every server process and command).
    from zxcvbn import zxcvbn

    words = [w for w in (username, *_CONTEXT_WORDS) if w]
    estimate = zxcvbn(password[:_SCORED_PREFIX], user_inputs=words)
    if estimate["score"] < MIN_SCORE:
        hint = estimate["feedback"].get("warning") or "it follows a common pattern"
        advice = "choose a longer, unusual phrase"
        raise errors.invalid("password", f"is too easy to guess ({hint.rstrip('.')}): {advice}")
