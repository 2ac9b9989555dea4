"""The annual progress report on the commitments register, as of a date.

Per document and strand: what fell due, what was done, what is overdue, what has no recorded evidence and what
comes next; a deadline timeline chart; the cadence of the recurring commitments (next due dates); changes since
the previous report (the same assessment one year earlier). Built from :func:`kompas.compass.status.assess_all`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from kompas.compass.deadlines import add_months
from kompas.compass.register import DOCUMENTS, SHORT, Commitment
from kompas.compass.status import Assessment, Note, assess_all
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

STATUS_COLOURS = {"done": "#2ca02c", "in_progress": "#1f77b4", "not_started": "#9e9e9e", "overdue": "#d62728",
                  "unknown": "#ff9f1c"}
LABEL = {"done": "done", "in_progress": "in progress", "not_started": "not yet due", "overdue": "overdue",
         "unknown": "no evidence recorded"}


def _due_in(a: Assessment, start: date, end: date) -> bool:
    return any(start < d <= end for d in a.commitment.deadline.occurrences(end))


def _row(a: Assessment) -> tuple:
    c = a.commitment
    note = a.notes[-1] if a.notes else None
    return (c.id, SHORT[c.source], c.strand, c.summary, c.deadline.text, LABEL.get(a.status, a.status),
            f"{note.as_of}: {note.evidence}" if note else "-")


def _timeline(assessed: Sequence[Assessment], as_of: date) -> str:
    plt = pyplot()
    dated = [(a, d) for a in assessed for d in a.commitment.deadline.occurrences(date(2030, 12, 31))]
    fig, ax = plt.subplots(figsize=(9, 3.4), constrained_layout=True)
    sources = list(DOCUMENTS)
    for status, colour in STATUS_COLOURS.items():
        points = [(d, sources.index(a.commitment.source) + (hash(a.commitment.id) % 7 - 3) * 0.06)
                  for a, d in dated if (a.status if d <= as_of else "not_started") == status]
        if points:
            ax.scatter([p[0] for p in points], [p[1] for p in points], s=18, color=colour, label=LABEL[status],
                       alpha=0.85, edgecolors="black", linewidths=0.3)
    ax.axvline(as_of, color="black", lw=1, ls="--")
    ax.text(as_of, len(sources) - 0.45, f" as of {as_of}", fontsize=8)
    ax.set_yticks(range(len(sources)), [SHORT[s] for s in sources], fontsize=8)
    ax.set_ylim(-0.6, len(sources) - 0.3)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, ncols=5, loc="lower left", bbox_to_anchor=(0, 1.02))
    return figure(fig, "Due dates of the dated and recurring commitments (each occurrence to 2030), coloured by "
                       "status as of the report date; later ones are not yet due.")


def build(commitments: Sequence[Commitment], notes: Mapping[str, Sequence[Note]], as_of: date, banner: str,
          handling: str = "") -> str:
    """The report as one self-contained HTML page."""
    previous_date = add_months(as_of, -12)
    now = assess_all(commitments, notes, as_of)
    before = {a.commitment.id: a for a in assess_all(commitments, notes, previous_date)}
    year = [a for a in now if _due_in(a, previous_date, as_of)]
    ahead = sorted((a for a in now if a.next_due and a.next_due <= add_months(as_of, 12)),
                   key=lambda a: a.next_due)
    overdue = [a for a in now if a.status == "overdue"]
    counts = Counter(a.status for a in year)
    per = []
    for source in DOCUMENTS:
        strands = list(dict.fromkeys(a.commitment.strand for a in now if a.commitment.source == source))
        for strand in strands:
            group = [a for a in now if a.commitment.source == source and a.commitment.strand == strand]
            fell = [a for a in group if a.fell_due]
            per.append((SHORT[source], strand, len(group), len(fell), sum(a.status == "done" for a in fell),
                        sum(a.status == "overdue" for a in fell), sum(a.status == "unknown" for a in fell),
                        sum(not a.fell_due and a.commitment.deadline.due is not None for a in group)))
    recurring = sorted((a for a in now if a.commitment.deadline.kind == "recurring"),
                       key=lambda a: (a.next_due or date.max))
    changes = [(a.commitment.id, a.commitment.summary, LABEL.get(before[a.commitment.id].status, "-"),
                LABEL.get(a.status, a.status)) for a in now if before[a.commitment.id].status != a.status]
    header = ("id", "document", "strand", "commitment", "deadline", "status", "latest evidence")
    body = f"""
<h1>Progress on the commitments, as of {as_of}</h1>
<p>The commitments of the Strategic Compass, the critical technologies roadmap and the space strategy conclusions,
{len(now)} in the Kompas register, each with the Dutch text it rests on. This report covers the year
{previous_date} to {as_of} and looks ahead one year.</p>
<div class="key"><ul>
<li>{len(year)} commitments fell due in the year: {counts['done']} done, {counts['overdue']} overdue,
{counts['unknown']} with no evidence recorded yet.</li>
<li>{len(overdue)} commitments are overdue in all; {sum(a.status == 'unknown' for a in now if a.fell_due)} that
fell due have no recorded evidence.</li>
<li>{len(ahead)} fall due in the next twelve months.</li>
<li>{len(changes)} changed status since the previous report ({previous_date}).</li>
</ul></div>
<h2>By document and strand</h2>
{table(("document", "strand", "commitments", "fell due", "done", "overdue", "no evidence", "not yet due"), per,
       numeric=(2, 3, 4, 5, 6, 7))}
{_timeline(now, as_of)}
<h2>Fell due in the year</h2>
{table(header, [_row(a) for a in sorted(year, key=lambda a: (a.due or date.min, a.commitment.id))])
 if year else "<p>Nothing fell due in the year.</p>"}
<h2>Overdue</h2>
{table(header, [_row(a) for a in overdue]) if overdue else "<p>Nothing is recorded as overdue.</p>"}
<h2>Coming due in the next twelve months</h2>
{table(("next due", *header), [(str(a.next_due), *_row(a)) for a in ahead]) if ahead else "<p>Nothing.</p>"}
<h2>Recurring commitments and their cadence</h2>
{table(("id", "document", "commitment", "cadence", "last due", "next due", "status"),
       [(a.commitment.id, SHORT[a.commitment.source], a.commitment.summary, a.commitment.deadline.text,
         str(a.due or "-"), str(a.next_due or "-"), LABEL.get(a.status, a.status)) for a in recurring])}
<h2>Changes since the previous report</h2>
{table(("id", "commitment", f"as of {previous_date}", f"as of {as_of}"), changes) if changes
 else "<p>No status changed.</p>"}
<h2>Annex: every commitment and its status</h2>
{table(("id", "document", "strand", "commitment", "deadline", "status", "latest evidence"),
       [_row(a) for a in now])}
<h2>Method</h2>
<p class="muted">Register: every dated, recurring or measurable commitment in the three documents, read line by
line, each with its source lines and a verbatim quote that the test suite checks against the text. Status comes from
dated evidence notes recorded in Kompas under markings (<code>kompas compass set-status</code>); a commitment past its
due date without a note is shown as "no evidence recorded", never as missed.
Sources: {esc("; ".join(DOCUMENTS.values()))}.</p>
"""
    return document.page(f"Commitments progress report {as_of}", body, banner, handling)


def write(commitments: Sequence[Commitment], notes: Mapping[str, Sequence[Note]], as_of: date, banner: str,
          path: Path, handling: str = "") -> Path:
    """Write the report to ``path`` (``.html`` or ``.pdf``)."""
    return document.write(build(commitments, notes, as_of, banner, handling), path)
