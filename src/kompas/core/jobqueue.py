"""Durable jobs for work too long for a request (reports rendered as PDF): submitted, claimed by a worker, run as
their owner, their result kept until fetched.

A job is a row of ``report_jobs``: its kind, parameters and owner, a status (``queued`` -> ``running`` ->
``done`` or ``failed``), and when done the result's bytes, media type, file name and marking (the combined
marking of everything the result used). Runners are plain functions ``(store, owner, params) -> (content,
media_type, filename, marking)`` given to the worker by kind (:data:`kompas.services.reports.RUNNERS`); the
platform does not know what a report is.

Claiming is a compare-and-set ``UPDATE ... WHERE id = :id AND status = 'queued'``: on PostgreSQL the second of
two concurrent updates re-reads the row after the first commits and matches nothing; on SQLite Kompas's
``BEGIN IMMEDIATE`` transactions serialise writers. So any number of workers, in threads or processes, never
run one job twice. A job runs with its owner's :class:`~kompas.core.markings.Viewer` as it is when the job runs,
so it sees only what its owner may see. Failures are stored as a one-line message, never a traceback (the
traceback of an unexpected error goes to the server log).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update

from kompas.core import audit
from kompas.core.markings import Marking, MarkingError
from kompas.core.models import ReportJob, new_id, now_utc
from kompas.core.store import Account, Store, StoreError, utc_text

log = logging.getLogger("kompas.jobs")

STATUSES = ("queued", "running", "done", "failed")
#: Jobs one owner may have queued or running at once; more are refused (:class:`QueueFull`).
MAX_PENDING_PER_OWNER = int(os.environ.get("KOMPAS_MAX_JOBS_PER_USER", 20))
#: Finished jobs (and their files) are deleted this long after they finished, seconds.
KEEP_S = float(os.environ.get("KOMPAS_JOB_KEEP_S", 7 * 86400))

Result = tuple[bytes, str, str, Marking]  #: content, media type, file name, marking
Runner = Callable[[Store, Account, dict[str, Any]], Result]


class JobError(ValueError):
    """A job that cannot run as asked (bad parameters, nothing to report): its message is shown to the owner."""


class QueueFull(RuntimeError):
    """The owner already has :data:`MAX_PENDING_PER_OWNER` jobs queued or running."""


@dataclass(frozen=True)
class Job:
    """A job as its owner sees it (without the result's bytes)."""

    id: str
    kind: str
    params: dict[str, Any]
    status: str
    created_utc: str
    started_utc: str | None
    finished_utc: str | None
    error: str | None
    media_type: str | None
    filename: str | None
    size: int | None
    marking: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form (the API's ``JobOut``)."""
        return dict(self.__dict__)


def _job(row: ReportJob) -> Job:
    return Job(row.id, row.kind, dict(row.params), row.status, row.created_utc, row.started_utc, row.finished_utc,
               row.error, row.media_type, row.filename, row.size, row.marking)


def submit(store: Store, kind: str, params: dict[str, Any], owner_id: int, exercise: str | None = None) -> Job:
    """Queue a job of ``kind`` with JSON ``params`` for user ``owner_id`` in the context of ``exercise`` (None: the
    real world; the job runs in it, :func:`run`); the owner's identical job still queued is returned instead of a
    second one. Raises :class:`QueueFull` over :data:`MAX_PENDING_PER_OWNER`."""
    with store.session(None) as s:
        same = s.scalars(select(ReportJob).where(ReportJob.owner_id == owner_id, ReportJob.kind == kind,
                                                 ReportJob.status == "queued",
                                                 ReportJob.exercise.is_(None) if exercise is None
                                                 else ReportJob.exercise == exercise)).all()
        for row in same:
            if row.params == params:
                return _job(row)
        pending = s.scalar(select(func.count()).select_from(ReportJob).where(
            ReportJob.owner_id == owner_id, ReportJob.status.in_(("queued", "running"))))
        if (pending or 0) >= MAX_PENDING_PER_OWNER:
            raise QueueFull(f"you have {pending} jobs queued or running; wait for them to finish")
        row = ReportJob(id=new_id(), kind=kind, params=params, owner_id=owner_id, status="queued",
                        created_utc=now_utc(), exercise=exercise)
        s.add(row)
        s.flush()
        return _job(row)


def job(store: Store, job_id: str, owner_id: int) -> Job | None:
    """The job ``job_id`` if it is ``owner_id``'s, else None (another user's job and no job look the same)."""
    with store.session(None) as s:
        row = s.scalar(select(ReportJob).where(ReportJob.id == job_id, ReportJob.owner_id == owner_id))
        return _job(row) if row is not None else None


def result(store: Store, job_id: str, owner_id: int) -> tuple[Job, bytes] | None:
    """The finished job ``job_id`` of ``owner_id`` and its result's bytes; None unless it is theirs and done."""
    with store.session(None) as s:
        row = s.scalar(select(ReportJob).where(ReportJob.id == job_id, ReportJob.owner_id == owner_id,
                                               ReportJob.status == "done"))
        return (_job(row), bytes(row.content or b"")) if row is not None else None


def claim(store: Store, worker: str) -> Job | None:
    """Take the oldest queued job for ``worker`` (status ``running``); None when there is none. Atomic: a job
    is claimed by exactly one worker however many try at once."""
    for _ in range(20):  # another worker may take the candidate between the read and the update
        with store.session(None) as s:
            candidate = s.scalar(select(ReportJob.id).where(ReportJob.status == "queued")
                                 .order_by(ReportJob.created_utc, ReportJob.id).limit(1))
            if candidate is None:
                return None
            taken = s.execute(update(ReportJob).where(ReportJob.id == candidate, ReportJob.status == "queued")
                              .values(status="running", worker=worker[:100], started_utc=now_utc())
                              .execution_options(synchronize_session=False))
            if getattr(taken, "rowcount", 0) == 1:
                row = s.get(ReportJob, candidate, populate_existing=True)
                assert row is not None
                return _job(row)
    return None


def _finish(store: Store, job_id: str, worker: str, **values: Any) -> None:
    with store.session(None) as s:
        s.execute(update(ReportJob).where(ReportJob.id == job_id, ReportJob.status == "running",
                                          ReportJob.worker == worker[:100])
                  .values(finished_utc=now_utc(), **values).execution_options(synchronize_session=False))


def run(store: Store, claimed: Job, runners: Mapping[str, Runner], worker: str) -> str:
    """Run a claimed job as its owner and store its result or its failure; returns the final status."""
    owner: Account | None = None
    runner = runners.get(claimed.kind)
    try:
        owner = _owner(store, claimed.id)
        if owner is None:
            raise JobError("the job's owner no longer exists")
        if runner is None:
            raise JobError(f"no runner for jobs of kind {claimed.kind!r}")
        content, media_type, filename, marking = runner(store.in_context(owner.viewer.exercise), owner,
                                                        dict(claimed.params))
        marking = marking.for_exercise(owner.viewer.exercise)  # made in an exercise: that exercise's
    except (JobError, StoreError, MarkingError, ValueError, RuntimeError, OSError) as error:
        message = _one_line(error)
        _finish(store, claimed.id, worker, status="failed", error=message)
        if owner is not None:
            audit.append(store.engine, owner.name, "job", f"jobs/{claimed.id}", "error", f"{claimed.kind}: {message}")
        return "failed"
    except Exception:
        log.exception("job %s (%s) failed", claimed.id, claimed.kind)
        _finish(store, claimed.id, worker, status="failed",
                error="internal error while running the job; the server log has the details")
        if owner is not None:
            audit.append(store.engine, owner.name, "job", f"jobs/{claimed.id}", "error",
                         f"{claimed.kind}: internal error")
        return "failed"
    _finish(store, claimed.id, worker, status="done", content=content, media_type=media_type, filename=filename,
            marking=marking.as_dict(), size=len(content), error=None)
    audit.append(store.engine, owner.name, "job", f"jobs/{claimed.id}", "ok",
                 f"{claimed.kind}: {len(content)} bytes, {marking.banner()}")
    return "done"


def _owner(store: Store, job_id: str) -> Account | None:
    """The job's owner, in the context of the job's exercise (JobError when they no longer take part in it)."""
    with store.session(None) as s:
        found = s.execute(select(ReportJob.owner_id, ReportJob.exercise).where(ReportJob.id == job_id)).first()
    if found is None:
        return None
    owner = store.accounts([found.owner_id]).get(found.owner_id)
    if owner is None or found.exercise is None:
        return owner
    try:
        return store.in_exercise(owner, found.exercise)
    except StoreError as error:
        raise JobError(str(error)) from None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:500]


def worker_name() -> str:
    """``host:pid:thread`` of the calling thread: who claimed a job."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def run_next(store: Store, runners: Mapping[str, Runner], worker: str | None = None) -> str | None:
    """Claim and run the oldest queued job; its id, or None when none was queued."""
    me = worker or worker_name()
    claimed = claim(store, me)
    if claimed is None:
        return None
    run(store, claimed, runners, me)
    return claimed.id


def run_pending(store: Store, runners: Mapping[str, Runner], limit: int | None = None) -> list[str]:
    """Run queued jobs in this thread until none is left (or ``limit`` have run): for the CLI and tests."""
    done: list[str] = []
    while limit is None or len(done) < limit:
        ran = run_next(store, runners)
        if ran is None:
            break
        done.append(ran)
    return done


def expire(store: Store, keep_s: float = KEEP_S) -> int:
    """Delete jobs finished more than ``keep_s`` seconds ago (with their files); the number deleted."""
    cutoff = utc_text(np.datetime64(time.time_ns() - int(keep_s * 1e9), "ns"))
    with store.session(None) as s:
        gone = s.execute(delete(ReportJob).where(ReportJob.status.in_(("done", "failed")),
                                                 ReportJob.finished_utc < cutoff)
                         .execution_options(synchronize_session=False))
        return int(getattr(gone, "rowcount", 0) or 0)


def recover(store: Store) -> int:
    """Put back in the queue the jobs left ``running`` by a worker process of this host that no longer exists
    (stopped or killed in the middle of a job); the number requeued. Workers of other hosts are not judged."""
    host = socket.gethostname()
    with store.session(None) as s:
        running = s.execute(select(ReportJob.id, ReportJob.worker).where(ReportJob.status == "running")).all()
    requeued = 0
    for job_id, worker in running:
        name, _, rest = (worker or "").partition(":")
        pid = rest.partition(":")[0]
        if name != host or not pid.isdigit() or _alive(int(pid)):
            continue
        with store.session(None) as s:
            done = s.execute(update(ReportJob).where(ReportJob.id == job_id, ReportJob.status == "running",
                                                     ReportJob.worker == worker)
                             .values(status="queued", worker=None, started_utc=None)
                             .execution_options(synchronize_session=False))
            requeued += int(getattr(done, "rowcount", 0) or 0)
    return requeued


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(store: Store, runners: Mapping[str, Runner], poll_s: float = 1.0, stop: threading.Event | None = None,
          wake: threading.Event | None = None) -> None:
    """Run queued jobs until ``stop`` is set: claim and run one after the other; when none is queued, wait
    ``poll_s`` seconds (or until ``wake`` is set). Jobs left by dead workers of this host are requeued first;
    finished jobs older than :data:`KEEP_S` are deleted every hour. Database errors are logged and retried: the
    worker outlives a database restart."""
    stop, wake = stop or threading.Event(), wake or threading.Event()
    name, tidied_at = worker_name(), -3600.0
    while not stop.is_set():
        try:
            if time.monotonic() - tidied_at >= 3600:
                recover(store)
                expire(store)
                tidied_at = time.monotonic()
            ran = run_next(store, runners, name)
        except Exception:  # the database may be away for a while: keep the worker alive
            log.exception("job worker: cannot claim or run a job")
            ran = None
        if ran is None:
            wake.wait(poll_s)
            wake.clear()


class Worker:
    """The API's job worker, started and stopped with the application (:func:`kompas.api.app.create_app`).

    With a ``command``, a thread keeps that worker process running (restarted if it dies, terminated on
    :meth:`stop`): the API's own processes then never render a report, so reports do not slow its answers. The
    process finds the database in ``$KOMPAS_DB`` (given in ``env``). Without one, the thread runs the jobs itself.
    Either way jobs are found by polling every ``poll_s`` seconds (other processes submit jobs too); in the
    thread, :meth:`wake` starts a job at once."""

    def __init__(self, store: Store, runners: Mapping[str, Runner], poll_s: float = 1.0,
                 command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> None:
        self.store, self.runners, self.poll_s = store, runners, poll_s
        self.command, self.env = list(command) if command else None, dict(env or {})
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            target = self._supervise if self.command else self._run
            self._thread = threading.Thread(target=target, name="kompas-jobs", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Look for queued jobs now (in-thread worker; a worker process finds them at its next poll)."""
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop: the thread after its current job (waiting at most ``timeout_s`` seconds), the process at once
        (a job it was running is requeued by the next worker, :func:`recover`)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _run(self) -> None:
        serve(self.store, self.runners, self.poll_s, self._stop, self._wake)

    def _supervise(self) -> None:
        assert self.command is not None
        while not self._stop.is_set():
            try:
                self._process = subprocess.Popen(self.command, env={**os.environ, **self.env},
                                                 stdin=subprocess.DEVNULL)
            except OSError:
                log.exception("job worker: cannot start %s", self.command)
                self._stop.wait(30)
                continue
            while not self._stop.is_set() and self._process.poll() is None:
                self._stop.wait(0.5)
            if not self._stop.is_set():
                log.warning("job worker process ended (exit status %s); starting another", self._process.returncode)
                self._stop.wait(5)
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
