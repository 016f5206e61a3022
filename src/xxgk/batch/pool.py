"""Worker processes for a batch, surviving a worker that dies mid-file."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING

from xxgk.batch.convert import Task, convert_chunk, convert_one, crashed, warm_up, worker_init
from xxgk.batch.summary import ItemResult

if TYPE_CHECKING:  # imported where a pool starts: --jobs 1 needs none of it (19 ms of a start)
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 0.5


def _die_with_parent(parent: int) -> None:
    """End this worker as soon as the run that started it ends, however it ends (kill -9 too).

    On Linux the kernel kills us when the parent dies (PR_SET_PDEATHSIG); everywhere a thread
    also watches the parent (on POSIX an orphan is re-parented, on Windows the parent's handle
    becomes signalled) and exits. Without this an orphan worker lives on, holding the pipes of
    whatever script started `xxgk convert`.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread remains
            pass
    if os.name == "nt":  # pragma: no cover - Windows: spawned workers know their parent's handle
        import multiprocessing
        from multiprocessing.connection import wait

        parent_process = multiprocessing.parent_process()
        if parent_process is None:
            return

        def watch() -> None:
            wait([parent_process.sentinel])
            os._exit(1)

    else:

        def watch() -> None:
            while os.getppid() == parent:
                threading.Event().wait(_WATCH_SECONDS)
            os._exit(1)

    if os.name != "nt" and os.getppid() != parent:
        os._exit(1)  # the parent died before we were watching
    threading.Thread(target=watch, name="xxgk-parent-watch", daemon=True).start()


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while workers are forked: raised inside fork's own bookkeeping
    (the at-fork handlers of logging and threading), the interrupt would print Python's
    "Exception ignored" traceback at the user. Delivered right after, at a safe point."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows spawns, no fork
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Workers forked here leave every object the parent made out of their collections (so
    that collecting does not write to, and so copy, the pages they share with it), and have
    ctypes loaded for `_die_with_parent`. The parent's objects stay frozen: they live as long as
    the run (the modules, frozen at start-up by cli/loading.py, among them), and unfreezing would
    put those back into every full collection too."""
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: F401 - imported once here, not in each worker

    gc.freeze()
    yield


def _worker_init(formats: tuple[str, ...], parent: int) -> None:
    if hasattr(signal, "pthread_sigmask"):  # forked while held: a worker takes them again
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _die_with_parent(parent)
    worker_init(formats)


_MAX_CHUNK = 16


def _chunk_sizes(n: int, jobs: int) -> list[int]:
    """Sizes of the successive chunks of `n` tasks: big enough to amortise the pipe, small
    enough to keep both cores busy to the end. Chunks shrinking towards the end (a quarter of
    what is left per worker) were tried: no faster by measure (bench/fixed_bench.py, 0.8–1.1×),
    their extra round trips costing what the shorter tail saved."""
    size = max(1, min(_MAX_CHUNK, n // (jobs * 4)))
    return [min(size, n - start) for start in range(0, n, size)]


class _Pool:
    """A process pool that survives a worker dying (a crash, the OOM killer) mid-file.

    concurrent.futures reports a dead worker as BrokenProcessPool on every pending future
    (multiprocessing.Pool would wait forever); we then start a fresh pool, rerun the broken
    chunk one file at a time, and a file that breaks a pool again, alone, is marked failed.
    """

    def __init__(self, jobs: int, formats: tuple[str, ...]) -> None:
        self.jobs, self.formats = jobs, formats
        self.executor = self._start(jobs)

    def _start(self, jobs: int) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            jobs, initializer=_worker_init, initargs=(self.formats, os.getpid())
        )

    def results(self, chunks: list[list[Task]]) -> Iterator[ItemResult]:
        from concurrent.futures.process import BrokenProcessPool

        with held_signals(), _frozen():  # the first submit forks the workers
            queue = deque((c, self.executor.submit(convert_chunk, c)) for c in chunks)
        while queue:
            chunk, future = queue.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                rest = [c for c, _ in queue]
                self.stop()
                self.executor = self._start(self.jobs)
                if len(chunk) == 1:
                    results = [self._alone(chunk[0])]
                else:
                    rest = [[t] for t in chunk] + rest
                    results = []
                with held_signals():
                    queue = deque((c, self.executor.submit(convert_chunk, c)) for c in rest)
            yield from results

    def _alone(self, task: Task) -> ItemResult:
        """A file whose pool broke: once more in a pool of its own, to tell culprit from victim."""
        from concurrent.futures.process import BrokenProcessPool

        single = self._start(1)
        try:
            with held_signals():
                future = single.submit(convert_one, task)
            return future.result()
        except BrokenProcessPool:
            return crashed(task)
        finally:
            single.shutdown(wait=True)

    def stop(self) -> None:
        """Stop now: pending work cancelled, running workers terminated mid-file, then reaped."""
        executor = self.executor
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.kill()  # mid-file: its temp file is removed by the run
        for proc in processes:
            proc.join()

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def _load_first_use_modules(formats: Sequence[str]) -> None:
    """Import, with Ctrl-C and SIGTERM held, what a run would import at first use: the
    compiled modules, whose initialisation crashes the process (orjson's, a segmentation fault)
    when the KeyboardInterrupt of one of them is raised inside it, as tests/test_faults.py
    found when the signal came during the warm-up; and the renderers of `formats`, whose
    classes are made by code run from strings (dataclass's), where such an interrupt makes
    Python exit by SIGINT at the end though the run handled it (exit -2, not 3). Each run
    imports them anyway."""
    from xxgk.report.registry import DERIVED, RENDERERS

    with held_signals():
        import orjson  # noqa: F401
        import python_calamine  # noqa: F401

        for fmt in formats:
            drawn = DERIVED[fmt].source if fmt in DERIVED else fmt  # a PDF is made from the DOCX
            if drawn in RENDERERS:
                RENDERERS[drawn].load()


def results(tasks: Sequence[Task], jobs: int) -> Generator[ItemResult, None, None]:
    """Results in input order; in-process for one job, else worker processes streaming back."""
    _load_first_use_modules(tasks[0].formats if tasks else ())
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield convert_one(task)
        return
    formats = tasks[0].formats
    chunks, start = [], 0
    for size in _chunk_sizes(len(tasks), jobs):
        chunks.append(list(tasks[start : start + size]))
        start += size
    # The warm-up (before the workers fork, so that they share it) and the pool's start import
    # what the run needs on first use, with Ctrl-C and SIGTERM held: a KeyboardInterrupt raised
    # inside code that an import runs from a string (namedtuple's, dataclass's) makes Python
    # exit by SIGINT at the end, though the run handled it (exit -2, not 3: tests/test_faults).
    with held_signals():
        warm_up(formats)
        pool = _Pool(min(jobs, len(chunks)), formats)
    try:
        yield from pool.results(chunks)
    except BaseException:
        pool.stop()  # Ctrl-C or an error in the parent: stop workers mid-file
        raise
    pool.close()
