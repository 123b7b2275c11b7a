"""mentor_desk's performance suite: every figure is the app's time beside a baseline's, measured in the same run.

    python benchmarks/run.py [--only NAME ...] [--list]      # one JSON line per figure; exit 1 on a miss
    python benchmarks/compare.py A B                          # the suite on two commits side by side

Adding a figure (media upload, Tier-5 board, meetings, ...):

1. Put it in a module of its own, ``benchmarks/bench_<topic>.py``: :mod:`benchmarks.suite` imports every
   ``bench_*`` module, so nothing else needs editing. Helpers that are not figures go in modules with other names.
2. Write two functions that each return one sample (a float, same unit): the app doing the work, and a
   *baseline* doing the same work the simplest honest way on the same machine (a bare httpx request, a bare Qt
   widget, a plain Python loop over the same data). The baseline must not be made slow on purpose, nor the
   work made different: the ratio says how much the app's own machinery costs.
3. Take samples with :func:`benchmarks.figures.interleaved` (at least :data:`~benchmarks.figures.RUNS` of each,
   alternating, so that a busy neighbour slows both alike), or append pairs yourself in one loop.
4. Return :func:`benchmarks.figures.ratio_figure` (name, unit, app samples, baseline samples, ratio limit) from
   a function decorated with ``@figure("<name>_<unit>")``. ``ok`` judges the ratio of the medians; an absolute
   limit a person's perception sets (one frame: 16 ms) can be added with ``below_value``. Only a figure whose
   limit is absolute by nature uses :func:`benchmarks.figures.absolute_figure`, still with a baseline.
5. Add a row to the table in the README's "Benchmarks" section: the figure, its baseline, its target.

Example::

    @figure("board_open_ms")
    def board_open_ms() -> Figure:
        app, bare = interleaved(lambda: open_board(rows), lambda: bare_table(rows))
        return ratio_figure("board_open_ms", "ms", app, bare, 1.5)

Each figure runs the real parts (a sandbox platform in its own process over loopback, real SQLite files, real
Qt widgets offscreen) and checks that the work was done, so that a fast but wrong run fails.
"""
