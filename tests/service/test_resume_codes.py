"""Resume codes: the only way back to a served intake, so long, random and forgiving to type."""

from __future__ import annotations

from intake_assistant.service.resume_codes import intake_id_of, new_resume_code, normalize_code


def test_resume_codes_are_long_random_and_forgiving_to_type() -> None:
    codes = {new_resume_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code.replace("-", "")) == 24
    assert normalize_code(code.lower().replace("-", " ")) == code
    assert normalize_code("ABCD-1234") is None  # too short; 1 is not in the alphabet
    assert code not in intake_id_of(code)
