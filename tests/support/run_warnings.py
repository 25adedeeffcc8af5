"""The warnings of a module run, for integration tests."""


def warning_text(run):
    """The warning texts of a run joined by spaces ('' without any): ansible-core 2.19 reports
    each warning as a WarningSummary dict, older cores as a string."""
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])
