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
from kompas.compass.register import DOCUMENTS, SHORT, STRAND_EN, Commitment
from kompas.compass.status import Assessment, Note, assess_all
from kompas.reports import document
from kompas.reports.document import esc, figure, pyplot, table

STATUS_COLOURS = {"done": "#2ca02c", "in_progress": "#1f77b4", "not_started": "#9e9e9e", "overdue": "#d62728",
                 "unknown": "#ff9f1c"}
LABEL = {"done": "done", "in_progress": "in progress", "not_started": "not yet due", "overdue": "overdue",
         "unknown": "not confirmed"}
#: The recurring products Kompas itself helps deliver, named in the summary with their next due date.
PRODUCTS = {"SC-001": "EU threat analysis", "SP-003": "space threat landscape analysis",
            "CT-003": "Observatory's classified critical technologies report", "SC-153": "Compass progress report"}


def label(a: Assessment) -> str:
    """The status as a reader says it: ``done late``, ``no evidence recorded`` for a past due date without any
    note, ``not confirmed`` when the notes predate the due date."""
    if a.status == "done" and a.late:
        return "done late"
    if a.status == "unknown" and not a.notes:
        return "no evidence recorded"
    if a.status == "not_started" and a.commitment.deadline.due is None:
        return "not started"
    return LABEL.get(a.status, a.status)


def _due_in(a: Assessment, start: date, end: date) -> bool:
    return any(start < d <= end for d in a.commitment.deadline.occurrences(end))


def _evidence(a: Assessment) -> str:
    note = a.notes[-1] if a.notes else None
    return f"{note.as_of}: {note.evidence}" if note else "-"


def strand(c: Commitment) -> str:
    """The commitment's strand in English."""
    return STRAND_EN.get(c.strand, c.strand)


def _row(a: Assessment) -> tuple:
    c = a.commitment
    return (c.id, c.summary, c.deadline.text, label(a), _evidence(a))


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


def _status_bars(per: Sequence[tuple]) -> str:
    """Stacked bars: per document and strand, the commitments that fell due by status."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(per) + 0.9), constrained_layout=True)
    names = [f"{doc}: {name}" for doc, name, *_ in per]
    left = [0] * len(per)
    for status, column in (("done", 4), ("in_progress", 5), ("overdue", 6), ("unknown", 7)):
        values = [row[column] for row in per]
        ax.barh(range(len(per)), values, left=left, color=STATUS_COLOURS[status], label=LABEL[status],
                edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(per)), names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("commitments that fell due", fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0))
    return figure(fig, "Commitments that fell due by the report date, per document and strand, by status "
                       "(standing commitments and those not yet due left out).")


def _per_strand(now: Sequence[Assessment]) -> list[tuple]:
    per = []
    for source in DOCUMENTS:
        for name in dict.fromkeys(strand(a.commitment) for a in now if a.commitment.source == source):
            group = [a for a in now if a.commitment.source == source and strand(a.commitment) == name]
            fell = [a for a in group if a.fell_due]
            per.append((SHORT[source], name, len(group), len(fell),
                        *(sum(a.status == s for a in fell) for s in ("done", "in_progress", "overdue", "unknown")),
                        sum(not a.fell_due and a.commitment.deadline.due is not None for a in group),
                        sum(a.commitment.deadline.due is None for a in group)))
    return per


def build(commitments: Sequence[Commitment], notes: Mapping[str, Sequence[Note]], as_of: date, banner: str,
          handling: str = "", annex: bool = True) -> str:
    """The report as one self-contained HTML page (``annex``: end with every commitment and its status)."""
    previous_date = add_months(as_of, -12)
    now = assess_all(commitments, notes, as_of)
    before = {a.commitment.id: a for a in assess_all(commitments, notes, previous_date)}
    year = sorted((a for a in now if _due_in(a, previous_date, as_of)),
                  key=lambda a: (a.due or date.min, a.commitment.id))
    ahead = sorted((a for a in now if a.next_due and a.next_due <= add_months(as_of, 12)),
                   key=lambda a: a.next_due or date.max)
    fell = [a for a in now if a.fell_due]
    done = sorted((a for a in fell if a.status == "done"), key=lambda a: (a.done_on or date.min, a.commitment.id))
    overdue = [a for a in now if a.status == "overdue"]
    unconfirmed = sorted((a for a in fell if a.status == "unknown" and a not in year),
                         key=lambda a: (a.due, a.commitment.id))
    counts, year_counts = Counter(a.status for a in fell), Counter(a.status for a in year)
    per = _per_strand(now)
    recurring = sorted((a for a in now if a.commitment.deadline.kind == "recurring"),
                       key=lambda a: (a.next_due or date.max))
    products = [f"the {name} on {a.next_due} ({a.commitment.id}, {a.commitment.deadline.text})"
                for a in recurring for cid, name in PRODUCTS.items() if a.commitment.id == cid and a.next_due]
    changes = [(a.commitment.id, a.commitment.summary, label(before[a.commitment.id]), label(a))
               for a in now if label(before[a.commitment.id]) != label(a)]
    recorded = [(a, n) for a in now for n in a.notes if previous_date < n.as_of <= as_of]
    header = ("id", "commitment", "deadline", "status", "latest evidence")
    dated = sum(a.commitment.deadline.due is not None for a in now)
    documents = ", ".join(f"{SHORT[s]} {sum(a.commitment.source == s for a in now)}" for s in DOCUMENTS)
    body = f"""<div class="wide">
<h1>Progress on the commitments, as of {as_of}</h1>
<p>The Strategic Compass promises clear targets and milestones to measure progress. This report follows the
{len(now)} commitments of the Kompas register ({documents}): every dated, recurring or measurable commitment of
the three documents, each with the Dutch text it rests on (ids SC-, CT- and SP- name the document). It covers the
twelve months to {as_of}, the record since March 2022, and looks ahead one year.</p>
<div class="key"><ul>
<li><b>{len(fell)} of the {dated} dated commitments have fallen due</b> since March 2022: {counts['done']} are done
({sum(a.late for a in done)} late), {counts['in_progress']} are under way as committed, {counts['overdue']} are
recorded as overdue, and {counts['unknown']} are not confirmed by any recorded evidence
({sum(not a.notes for a in fell if a.status == 'unknown')} have no evidence at all).</li>
<li>In the year to {as_of}, {len(year)} fell due: {year_counts['done']} done, {year_counts['in_progress']} under
way, {year_counts['overdue']} overdue, {year_counts['unknown']} not confirmed. {len(recorded)} evidence notes were
dated in the year.</li>
<li>{len(ahead)} fall due in the next twelve months. Next due of the recurring products: {esc('; '.join(products))}.
</li>
<li>{len(changes)} commitments changed status since the previous report ({previous_date}).</li>
<li>{len(now) - dated} commitments are standing or carry no date; they are followed through their notes only.</li>
</ul></div>
<h2>By document and strand</h2>
{table(("document", "strand", "commitments", "fell due", "done", "in progress", "overdue", "not confirmed",
        "not yet due", "standing"), per, numeric=tuple(range(2, 10)))}
{_status_bars([row for row in per if row[3]])}
{_timeline(now, as_of)}
<h2>Fell due in the year</h2>
{table(header, [_row(a) for a in year]) if year else "<p>Nothing fell due in the year.</p>"}
<h2>Done, with the evidence</h2>
{table(("id", "commitment", "due", "done on", "evidence"),
       [(a.commitment.id, a.commitment.summary, str(a.due),
         f"{a.done_on}{' (late)' if a.late else ''}", _evidence(a)) for a in done]) if done
 else "<p>No commitment that fell due is recorded as done.</p>"}
<h2>Overdue</h2>
{table(header, [_row(a) for a in overdue]) if overdue else "<p>Nothing is recorded as overdue.</p>"}
<h2>Fell due earlier and not confirmed: evidence requested</h2>
<p>Past their due date before this year, with no evidence recorded that they were met. They are not thereby
missed; the responsible services are asked for the evidence.</p>
{table(("id", "due", "commitment", "actors", "latest evidence"),
       [(a.commitment.id, str(a.due), a.commitment.summary, ", ".join(a.commitment.actors), _evidence(a))
        for a in unconfirmed]) if unconfirmed else "<p>None.</p>"}
<h2>Coming due in the next twelve months</h2>
{table(("next due", *header), [(str(a.next_due), *_row(a)) for a in ahead]) if ahead else "<p>Nothing.</p>"}
<h2>Recurring commitments and their cadence</h2>
{table(("id", "commitment", "cadence", "last due", "next due", "status"),
       [(a.commitment.id, a.commitment.summary, a.commitment.deadline.text,
         str(a.due or "-"), str(a.next_due or "-"), label(a)) for a in recurring])}
<h2>Changes since the previous report</h2>
{table(("id", "commitment", f"as of {previous_date}", f"as of {as_of}"), changes) if changes
 else "<p>No status changed.</p>"}
{_annex(now) if annex else ""}
<h2>Method</h2>
<p class="muted">Register: every dated, recurring or measurable commitment in the three documents, read line by
line, each with its source lines and a verbatim quote that the test suite checks against the text. Status comes from
dated evidence notes: those recorded in Kompas under markings that the reader may see (<code>kompas compass
set-status</code>, <code>import-evidence</code>) and the public evidence shipped with Kompas, each citing a public
document. A note speaks for its own date: a commitment is overdue only when a note dated on or after its due date
says it is not met; without such a note it is "not confirmed", never missed. A commitment "from" a date is met by
being under way; a recurring one is judged on its latest occurrence. Sources: {esc("; ".join(DOCUMENTS.values()))}.
</p></div>
"""
    return document.page(f"Commitments progress report {as_of}", body, banner, handling)


def _annex(now: Sequence[Assessment]) -> str:
    parts = ["<h2>Annex: every commitment and its status</h2>"]
    for source in DOCUMENTS:
        rows = [(a.commitment.id, strand(a.commitment), a.commitment.summary, a.commitment.deadline.text,
                 label(a)) for a in now if a.commitment.source == source]
        parts.append(f'<h3>{esc(DOCUMENTS[source])}</h3><div class="small">'
                     f'{table(("id", "strand", "commitment", "deadline", "status"), rows)}</div>')
    return "\n".join(parts)


def write(commitments: Sequence[Commitment], notes: Mapping[str, Sequence[Note]], as_of: date, banner: str,
          path: Path, handling: str = "", annex: bool = True) -> Path:
    """Write the report to ``path`` (``.html`` or ``.pdf``)."""
    return document.write(build(commitments, notes, as_of, banner, handling, annex), path)
